import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/review/csv.js';
import { ORDER_REF, startReviewWorld, TOKENS, type ReviewWorld } from './reviewHarness.js';

async function confirm(world: ReviewWorld, id: string, token = TOKENS.alice): Promise<void> {
  const res = await world.call('POST', `/api/matches/${id}/decisions`, token, { decision: 'confirm', reason: 'template, analytics id and brand match' });
  expect(res.status).toBe(201);
}

async function exportOf(world: ReviewWorld, query: string): Promise<{ status: number; body: string; excluded: string | null; disposition: string | null; type: string | null }> {
  const res = await world.call('GET', `/api/export?${query}`);
  return { status: res.status, body: await res.text(), excluded: res.headers.get('x-hopwatch-excluded'), disposition: res.headers.get('content-disposition'), type: res.headers.get('content-type') };
}

describe('exports: a confirmation shows up in every format; the guard leaves out shared infrastructure with a reason', () => {
  let world: ReviewWorld;
  beforeEach(async () => {
    world = await startReviewWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('blocklist, CSV, JSON lines and ticket', async () => {
    const good = await world.record({ domain: 'harbor-new.test', site: 'harbor', addresses: ['5.9.10.11', '104.16.132.229', '2a01:4f8:1::7'], manifest: 'c'.repeat(64) });
    const platform = await world.record({ domain: 'harbor-mirror.pages.dev', site: 'harbor', addresses: ['5.9.10.12'] });
    const unconfirmed = await world.record({ domain: 'harbor-maybe.test', site: 'harbor' });
    await confirm(world, good);
    await confirm(world, platform);
    void unconfirmed;

    const list = await exportOf(world, 'site=harbor&format=blocklist');
    expect(list.status).toBe(200);
    expect(list.disposition).toMatch(/^attachment; filename="hopwatch-site-harbor-\d{4}-\d{2}-\d{2}\.txt"$/);
    expect(list.excluded).toBe('3');
    const lines = list.body.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual(['harbor-new.test']);
    const comments = lines.filter((l) => l.startsWith('# excluded '));
    expect(comments.some((l) => l.includes('harbor-mirror.pages.dev') && l.includes('pages.dev'))).toBe(true);
    expect(comments.some((l) => l.includes('104.16.132.229') && l.includes('Cloudflare'))).toBe(true);
    expect(list.body).not.toContain('harbor-maybe.test');
    // the comments come after the list: a consumer reading until the first comment gets only domains
    expect(lines.findIndex((l) => l.startsWith('# excluded'))).toBeGreaterThan(lines.indexOf('harbor-new.test'));

    const csv = await exportOf(world, 'site=harbor&format=csv');
    expect(csv.type).toContain('text/csv');
    const rows = parseCsv(csv.body);
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const included = rows.slice(1).filter((r) => r[col('excluded')] === 'false').map((r) => `${r[col('kind')]}:${r[col('value')]}`);
    expect(included.sort()).toEqual(['fqdn:harbor-new.test', 'ipv4:5.9.10.11', 'ipv6:2a01:4f8:1::7']);
    const cloudflare = rows.find((r) => r[col('value')] === '104.16.132.229')!;
    expect(cloudflare[col('excluded')]).toBe('true');
    expect(cloudflare[col('reason')]).toContain('104.16.0.0/13');
    expect(rows.find((r) => r[col('value')] === '5.9.10.12')![col('reason')]).toContain('excluded host');

    const jsonl = await exportOf(world, 'site=harbor&format=jsonl');
    const objects = jsonl.body.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; value: string; excluded: boolean; reason: string | null; confirmedBy: string[] });
    expect(objects.find((o) => o.value === 'harbor-new.test')).toMatchObject({ kind: 'fqdn', excluded: false, reason: null, confirmedBy: ['alice'] });
    expect(objects.find((o) => o.value === 'harbor-mirror.pages.dev')).toMatchObject({ excluded: true });

    const ticketRes = await exportOf(world, 'site=harbor&format=ticket');
    const ticket = JSON.parse(ticketRes.body) as { fqdn: string[]; ipv4: string[]; ipv6: string[]; forensic_evidence: { hash: Array<{ hash_type: string; hash_string: string }> }; excluded: Array<{ value: string; reason: string }> };
    expect(ticket.fqdn).toEqual(['harbor-new.test']);
    expect(ticket.ipv4).toEqual(['5.9.10.11']);
    expect(ticket.ipv6).toEqual(['2a01:4f8:1::7']);
    expect(ticket.forensic_evidence.hash.map((h) => h.hash_string)).toContain('c'.repeat(64));
    expect(ticket.excluded.map((e) => e.value).sort()).toEqual(['104.16.132.229', '5.9.10.12', 'harbor-mirror.pages.dev']);
  });

  it('per legal order: every site the order names, with its reference in the ticket', async () => {
    await confirm(world, await world.record({ domain: 'harbor-two.test', site: 'harbor' }));
    await confirm(world, await world.record({ domain: 'lantern-two.test', site: 'lantern' }));
    await confirm(world, await world.record({ domain: 'quay-two.test', site: 'quay' }));
    const ticket = JSON.parse((await exportOf(world, `order=${ORDER_REF}&format=ticket`)).body) as { fqdn: string[]; dda_id: string; order: { reference: string; court: string } };
    expect(ticket.fqdn.sort()).toEqual(['harbor-two.test', 'lantern-two.test']);
    expect(ticket.order.reference).toBe(ORDER_REF);
    expect(ticket.order.court).toBe('Tribunale di Prova (Test Court)');
    const unknown = await exportOf(world, 'order=no-such-order&format=ticket');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'REVIEW_UNKNOWN_ORDER' });
  });

  it('a rejection after a confirmation takes the domain out of the export', async () => {
    const id = await world.record({ domain: 'harbor-undo.test', site: 'harbor' });
    await confirm(world, id);
    await world.call('POST', `/api/matches/${id}/decisions`, TOKENS.bob, { decision: 'reject', reason: 'the operator changed, not a mirror' });
    expect((await exportOf(world, 'site=harbor&format=blocklist')).body).not.toMatch(/^harbor-undo\.test$/m);
  });
});

describe('four eyes', () => {
  let world: ReviewWorld;
  beforeEach(async () => {
    world = await startReviewWorld({ fourEyesSites: 'harbor' });
  });
  afterEach(async () => {
    await world.close();
  });

  it('a four-eyes site exports a domain only after a second reviewer confirms it', async () => {
    const id = await world.record({ domain: 'harbor-four.test', site: 'harbor' });
    const other = await world.record({ domain: 'lantern-one.test', site: 'lantern' });
    await confirm(world, id, TOKENS.alice);
    await confirm(world, other, TOKENS.alice);
    let list = await exportOf(world, 'site=harbor&format=blocklist');
    expect(list.body).not.toMatch(/^harbor-four\.test$/m);
    expect(list.body).toContain('four eyes: confirmed by 1 reviewer(s) (alice)');
    // the same person confirming again (or through the CLI) is still one pair of eyes
    await confirm(world, id, TOKENS.alice);
    await world.service.decide(id, 'confirm', 'checked again from the terminal', 'cli:alice');
    expect((await exportOf(world, 'site=harbor&format=blocklist')).body).not.toMatch(/^harbor-four\.test$/m);
    await confirm(world, id, TOKENS.bob);
    list = await exportOf(world, 'site=harbor&format=blocklist');
    expect(list.body).toMatch(/^harbor-four\.test$/m);
    // a site without the rule needs one confirmation
    expect((await exportOf(world, 'site=lantern&format=blocklist')).body).toMatch(/^lantern-one\.test$/m);
  });
});
