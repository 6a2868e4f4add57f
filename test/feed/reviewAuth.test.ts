import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/feed/server.js';
import { ReviewTokens } from '../../src/feed/reviewTokens.js';
import { startReviewWorld, TOKENS, TOKEN_SETTING, type ReviewWorld } from './reviewHarness.js';

describe('review server: every request without a valid token is refused', () => {
  let world: ReviewWorld;
  let id: string;

  beforeAll(async () => {
    world = await startReviewWorld();
    id = await world.record({ domain: 'auth-mirror.test', site: 'harbor' });
  });
  afterAll(async () => {
    await world.close();
  });

  const dataRoutes = () => [
    ['GET', '/api/me'], ['GET', '/api/matches'], ['GET', `/api/matches/${id}`], ['POST', `/api/matches/${id}/decisions`], ['POST', '/api/decisions/bulk'],
    ['GET', '/api/sites'], ['GET', '/api/export?site=harbor&format=csv'], ['GET', `/api/evidence/${'a'.repeat(64)}`], ['GET', '/metrics'], ['GET', '/admin/queues'],
  ] as const;

  it('no token: 401 on every data route', async () => {
    for (const [method, url] of dataRoutes()) {
      const res = await world.call(method, url, null, method === 'POST' ? { decision: 'confirm', reason: 'no token here' } : undefined);
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'FEED_UNAUTHORIZED' });
    }
  });

  it('a forged token (well formed, never issued) and a malformed header: 401, nothing recorded', async () => {
    for (const header of ['Bearer alice-reviewer-token-0123456788', 'Bearer ', 'Basic YWxpY2U6eA==', `bearer ${TOKENS.alice}`, TOKENS.alice]) {
      const res = await fetch(`${world.base}/api/matches/${id}/decisions`, { method: 'POST', headers: { authorization: header, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'confirm', reason: 'forged token' }) });
      expect(res.status, header).toBe(401);
    }
    expect(await world.reviewStore.decisions(id)).toEqual([]);
  });

  it('a wrong role: a viewer cannot decide, a reviewer cannot read metrics or the queue dashboard', async () => {
    expect((await world.call('POST', `/api/matches/${id}/decisions`, TOKENS.viewer, { decision: 'confirm', reason: 'viewer decides' })).status).toBe(403);
    expect((await world.call('GET', '/metrics', TOKENS.alice)).status).toBe(403);
    expect((await world.call('GET', '/admin/queues', TOKENS.alice)).status).toBe(403);
    const metrics = await world.call('GET', '/metrics', TOKENS.admin);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('hopwatch_serve_auth_failures_total');
    expect((await world.call('GET', '/admin/queues', TOKENS.admin)).status).toBe(200);
  });

  it('the page shell answers without a token and holds no data; security headers are set', async () => {
    const res = await world.call('GET', '/', null);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).not.toContain('auth-mirror.test');
  });
});

describe('review server: the rate limit counts failed authentication', () => {
  let world: ReviewWorld;
  beforeAll(async () => {
    world = await startReviewWorld({ rateLimitMax: 5 });
  });
  afterAll(async () => {
    await world.close();
  });

  it('guessed tokens get 401 until the limit, then 429 — even for the right token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await world.call('GET', '/api/me', `guess-${i}-0123456789abcdef`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await world.call('GET', '/api/me', `guess-6-0123456789abcdef`);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'FEED_RATE_LIMITED' });
    expect((await world.call('GET', '/api/me', TOKENS.admin)).status).toBe(429);
    expect((await world.call('GET', '/healthz', null)).status).toBe(200);
  });
});

describe('review server logs', () => {
  let lines = '';
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => (lines += c.toString()));
  let world: ReviewWorld;
  beforeAll(async () => {
    world = await startReviewWorld();
  });
  afterEach(() => undefined);
  afterAll(async () => {
    await world.close();
  });

  it('never carry a token, good or bad', async () => {
    const app = await buildServer({ service: world.service, tokens: ReviewTokens.parse(TOKEN_SETTING), rateLimit: { max: 100, timeWindowMs: 60_000 }, viewTokenTtlMs: 60_000, logger: { level: 'trace', stream } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${TOKENS.admin}` } });
      await fetch(`${base}/api/me`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } });
      await fetch(`${base}/view/${'b'.repeat(64)}?t=123.secretcapability`);
    } finally {
      await app.close();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).not.toContain(TOKENS.admin);
    expect(lines).not.toContain('wrong-token-0123456789abcdef');
    expect(lines).not.toContain('secretcapability');
  });
});
