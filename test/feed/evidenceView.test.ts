import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_CSP } from '../../src/feed/server.js';
import { startReviewWorld, TOKENS, type ReviewWorld } from './reviewHarness.js';

describe('evidence by hash and the sandboxed page view', () => {
  let world: ReviewWorld;
  let id: string;
  let body: string;
  let manifest: string;

  beforeAll(async () => {
    world = await startReviewWorld();
    body = await world.putEvidence('<html><head><title>Harbor</title><script>parent.stolen = 1</script></head><body>saved page</body></html>', 'html');
    const png = await world.putEvidence(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'png');
    manifest = await world.putEvidence(JSON.stringify({ schema: 'hopwatch.evidence/1', title: 'Harbor — home', pageKind: 'ok', body: { sha256: body, contentType: 'text/html', charset: 'utf-8' }, screenshot: { sha256: png }, fetch: { resolvedAddresses: ['5.9.10.11'] } }), 'manifest.json');
    id = await world.record({ domain: 'harbor-view.test', site: 'harbor', manifest });
  });
  afterAll(async () => {
    await world.close();
  });

  it('the detail inlines the manifest and mints a view link', async () => {
    const detail = (await (await world.call('GET', `/api/matches/${id}`)).json()) as { manifest: string; manifestJson: { title: string }; title: string; candidateView: string; screenshot: string; referenceView: null };
    expect(detail.manifest).toBe(manifest);
    expect(detail.manifestJson.title).toBe('Harbor — home');
    expect(detail.title).toBe('Harbor — home');
    expect(detail.screenshot).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.candidateView).toMatch(new RegExp(`^/view/${body}\\?t=\\d+\\.[A-Za-z0-9_-]{43}$`));

    const view = await fetch(`${world.base}${detail.candidateView}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-security-policy')).toBe(VIEW_CSP);
    expect(view.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await view.text()).toContain('saved page');
  });

  it('a view link for another page, a forged or a missing capability is refused', async () => {
    const detail = (await (await world.call('GET', `/api/matches/${id}`)).json()) as { candidateView: string };
    const t = new URL(detail.candidateView, world.base).searchParams.get('t')!;
    expect((await fetch(`${world.base}/view/${manifest}?t=${t}`)).status).toBe(403);
    expect((await fetch(`${world.base}/view/${body}?t=${t.slice(0, -2)}AA`)).status).toBe(403);
    expect((await fetch(`${world.base}/view/${body}?t=1.${t.split('.')[1]}`)).status).toBe(403);
    expect((await fetch(`${world.base}/view/${body}`)).status).toBe(403);
  });

  it('serves evidence by hash, a saved page only as a download', async () => {
    const html = await world.call('GET', `/api/evidence/${body}`, TOKENS.viewer);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toBe(`attachment; filename="${body}.html"`);
    const m = await world.call('GET', `/api/evidence/${manifest}`, TOKENS.viewer);
    expect(m.headers.get('content-type')).toContain('application/json');
    expect(((await m.json()) as { schema: string }).schema).toBe('hopwatch.evidence/1');
    expect((await world.call('GET', `/api/evidence/${'f'.repeat(64)}`)).status).toBe(404);
    expect((await world.call('GET', '/api/evidence/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });
});
