import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/review/csv.js';
import type { MatchSummary } from '../../src/review/matchSummary.js';
import { startReviewWorld, TOKENS, type ReviewWorld } from './reviewHarness.js';

describe('review server: feed and decisions over real HTTP', () => {
  let world: ReviewWorld;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    world = await startReviewWorld();
    ids.a = await world.record({ domain: 'harbor-new.test', site: 'harbor', score: 0.95, checkedAt: Date.parse('2025-01-01T00:00:00Z') });
    ids.b = await world.record({ domain: 'harbor.unblock.test', site: 'harbor', verdict: 'likely', score: 0.6, checkedAt: Date.parse('2025-01-02T00:00:00Z') });
    ids.c = await world.record({ domain: 'lantern-mirror.test', site: 'lantern', score: 0.8, checkedAt: Date.parse('2025-01-03T00:00:00Z'), identifiers: ['G-LANTERN1', 'ca-pub-42'] });
    ids.d = await world.record({ domain: 'lantern, "quoted".test', site: 'lantern', score: 0.7, checkedAt: Date.parse('2025-01-04T00:00:00Z') });
  });
  afterAll(async () => {
    await world.close();
  });

  it('answers /healthz without a token', async () => {
    const res = await world.call('GET', '/healthz', null);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('tells a token who it is', async () => {
    const res = await world.call('GET', '/api/me', TOKENS.alice);
    expect(await res.json()).toEqual({ reviewer: 'alice', role: 'reviewer' });
  });

  it('lists matches newest first with facets, filters and a cursor', async () => {
    const all = (await (await world.call('GET', '/api/matches')).json()) as { items: MatchSummary[]; total: number; counts: { bySite: Record<string, number> } };
    expect(all.total).toBe(4);
    expect(all.items.map((m) => m.id)).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect(all.counts.bySite).toEqual({ harbor: 2, lantern: 2 });
    expect(all.items[1]!).toMatchObject({ domain: 'lantern-mirror.test', site: 'lantern', state: 'unreviewed', pageKind: 'ok', source: 'manual', identifiers: ['G-LANTERN1', 'ca-pub-42'], recordedAt: '2025-01-03T00:00:00.000Z' });

    const likely = (await (await world.call('GET', '/api/matches?verdict=likely')).json()) as { items: MatchSummary[] };
    expect(likely.items.map((m) => m.domain)).toEqual(['harbor.unblock.test']);
    const glob = (await (await world.call('GET', `/api/matches?q=${encodeURIComponent('*.unblock.*')}`)).json()) as { items: MatchSummary[] };
    expect(glob.items.map((m) => m.domain)).toEqual(['harbor.unblock.test']);
    const since = (await (await world.call('GET', '/api/matches?since=2025-01-03T00:00:00Z&sort=score')).json()) as { items: MatchSummary[] };
    expect(since.items.map((m) => m.id)).toEqual([ids.d, ids.c]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await world.call('GET', `/api/matches?limit=3&sort=-score${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: MatchSummary[]; nextCursor: string | null };
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.a, ids.c, ids.d, ids.b]);
  });

  it('serves the list as JSON lines and as RFC 4180 CSV that parses back', async () => {
    const jsonl = await world.call('GET', '/api/matches?format=jsonl&sort=recorded');
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await jsonl.text()).trim().split('\n').map((l) => JSON.parse(l) as MatchSummary);
    expect(lines.map((m) => m.id)).toEqual([ids.a, ids.b, ids.c, ids.d]);

    const csv = await fetch(`${world.base}/api/matches?sort=recorded`, { headers: { authorization: `Bearer ${TOKENS.viewer}`, accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.includes('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['id', 'domain', 'site', 'verdict', 'relation', 'score', 'pageKind', 'title', 'recordedAt', 'source', 'state', 'manifest', 'identifiers']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['harbor-new.test', 'harbor.unblock.test', 'lantern-mirror.test', 'lantern, "quoted".test']);
    expect(rows[3]![12]).toBe('G-LANTERN1 | ca-pub-42');
  });

  it('refuses a bad filter with a clear error', async () => {
    const res = await world.call('GET', '/api/matches?state=maybe');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'FEED_BAD_QUERY' });
  });

  it('records a decision with the reviewer from the token, never from the body', async () => {
    const res = await world.call('POST', `/api/matches/${ids.a}/decisions`, TOKENS.alice, { decision: 'confirm', reason: 'same template and analytics id', reviewer: 'mallory' });
    expect(res.status).toBe(201);
    const { decision } = (await res.json()) as { decision: { reviewer: string; seq: number; prevHash: string; hash: string; domain: string } };
    expect(decision).toMatchObject({ reviewer: 'alice', domain: 'harbor-new.test', decision: 'confirm', seq: 1, prevHash: '0'.repeat(64) });
    const detail = (await (await world.call('GET', `/api/matches/${ids.a}`)).json()) as { state: string; decisions: Array<{ reviewer: string }>; evidence: unknown[]; history: { checks: number } };
    expect(detail.state).toBe('confirmed');
    expect(detail.decisions.map((d) => d.reviewer)).toEqual(['alice']);
    expect(detail.evidence.length).toBe(2);
    expect(detail.history.checks).toBe(1);
    expect(await world.reviewStore.confirmedDomains('harbor')).toEqual([{ domain: 'harbor-new.test', confirmedAt: expect.any(String), matchId: ids.a }]);
    const confirmed = (await (await world.call('GET', '/api/matches?state=confirmed')).json()) as { items: MatchSummary[] };
    expect(confirmed.items.map((m) => m.id)).toEqual([ids.a]);
  });

  it('a later decision supersedes without erasing', async () => {
    await world.call('POST', `/api/matches/${ids.b}/decisions`, TOKENS.alice, { decision: 'confirm', reason: 'looks like a proxy' });
    const res = await world.call('POST', `/api/matches/${ids.b}/decisions`, TOKENS.bob, { decision: 'reject', reason: 'a search page that only links the site' });
    expect(res.status).toBe(201);
    const detail = (await (await world.call('GET', `/api/matches/${ids.b}`)).json()) as { state: string; decisions: Array<{ decision: string }> };
    expect(detail.state).toBe('rejected');
    expect(detail.decisions.map((d) => d.decision)).toEqual(['confirm', 'reject']);
    expect((await world.reviewStore.confirmedDomains('harbor')).map((d) => d.domain)).toEqual(['harbor-new.test']);
  });

  it('refuses a decision without a reason, an unknown decision and an unknown match', async () => {
    expect((await world.call('POST', `/api/matches/${ids.c}/decisions`, TOKENS.alice, { decision: 'confirm', reason: ' ' })).status).toBe(400);
    expect((await world.call('POST', `/api/matches/${ids.c}/decisions`, TOKENS.alice, { decision: 'approve', reason: 'fine fine' })).status).toBe(400);
    const missing = await world.call('POST', '/api/matches/1-1/decisions', TOKENS.alice, { decision: 'confirm', reason: 'fine fine' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'REVIEW_MATCH_NOT_FOUND' });
  });

  it('bulk decisions write one audit entry per id, and nothing when one id is unknown', async () => {
    const bad = await world.call('POST', '/api/decisions/bulk', TOKENS.bob, { ids: [ids.c, '1-1'], decision: 'needs-more', reason: 'need the redirect chain' });
    expect(bad.status).toBe(404);
    expect(await world.reviewStore.decisions(ids.c!)).toEqual([]);
    const res = await world.call('POST', '/api/decisions/bulk', TOKENS.bob, { ids: [ids.c, ids.d], decision: 'needs-more', reason: 'need the redirect chain' });
    expect(res.status).toBe(200);
    const { decisions } = (await res.json()) as { decisions: Array<{ matchId: string; reviewer: string }> };
    expect(decisions.map((d) => [d.matchId, d.reviewer])).toEqual([[ids.c, 'bob'], [ids.d, 'bob']]);
  });

  it('a viewer may read but not decide', async () => {
    const res = await world.call('POST', `/api/matches/${ids.c}/decisions`, TOKENS.viewer, { decision: 'confirm', reason: 'viewer tries' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'FEED_FORBIDDEN' });
  });

  it('lists sites with their order, known and confirmed domains and counts', async () => {
    const sites = (await (await world.call('GET', '/api/sites')).json()) as Array<{ id: string; order: { reference: string } | null; confirmedDomains: Array<{ domain: string }>; counts: Record<string, number>; knownDomains: unknown[] }>;
    const harbor = sites.find((s) => s.id === 'harbor')!;
    expect(harbor.order?.reference).toBe('tribunale-di-prova-2024-03-01-rg-123-2024');
    expect(harbor.confirmedDomains.map((d) => d.domain)).toEqual(['harbor-new.test']);
    expect(harbor.counts).toEqual({ unreviewed: 0, confirmed: 1, rejected: 1 });
    expect(harbor.knownDomains).toEqual([{ domain: 'harbor.example', since: '2020-01-01' }]);
    expect(sites.find((s) => s.id === 'quay')!.order).toBeNull();
  });
});
