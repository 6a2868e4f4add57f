import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckStore, STORE_LIMIT_DEFAULTS } from '../../src/store/checkStore.js';
import { fitEvidence } from '../../src/store/fitEvidence.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';

/** What the processor records: the match's evidence, the fetch summary with its redirects, the probes. */
function hostileEvidence(urlChars: number) {
  const long = (n: number) => `https://x.example/${'a'.repeat(urlChars)}${n}`;
  return {
    evidence: Array.from({ length: 12 }, (_, i) => ({ family: 'identifier', kind: 'ga-property', value: `UA-${1000 + i}-1`, weight: 0.5, detail: 'x'.repeat(2000) })),
    fetch: { requestedUrl: long(0), finalUrl: long(1), redirects: [{ url: long(2), location: long(3), status: 302 }, { url: long(3), location: long(1), status: 302 }] },
    probes: [],
  };
}

describe('a feed entry keeps every piece of evidence, cut to fit', () => {
  const settings = testSettings();
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await dropPrefix(settings);
    redis.disconnect();
  });

  it('two redirects with 30 KB URLs: within the limit, every evidence item there, long values cut and counted', () => {
    const value = hostileEvidence(30_000);
    const json = fitEvidence(value, 64 * 1024);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(64 * 1024);
    const fitted = JSON.parse(json) as ReturnType<typeof hostileEvidence> & { cut: { strings: number; chars: number; items: number } };
    expect(fitted.evidence).toHaveLength(12);
    expect(fitted.evidence.map((e) => e.value)).toEqual(value.evidence.map((e) => e.value));
    expect(fitted.fetch.redirects).toHaveLength(2);
    expect(fitted.fetch.requestedUrl.startsWith('https://x.example/aaa')).toBe(true);
    expect(fitted.cut.strings).toBeGreaterThanOrEqual(6);
    expect(fitted.cut.chars).toBeGreaterThan(100_000);
    expect(json).not.toContain('"truncated"');
  });

  it('evidence that fits is stored as it is', () => {
    const small = { evidence: [{ kind: 'gtm', value: 'GTM-ABCD' }], fetch: { finalUrl: 'https://a.example/' } };
    expect(fitEvidence(small, 64 * 1024)).toBe(JSON.stringify(small));
  });

  it('the store cuts an oversized evidence record instead of replacing it', async () => {
    const store = new CheckStore(redis, redisKeys(settings.keyPrefix), STORE_LIMIT_DEFAULTS);
    const outcome = await store.recordCheck({
      domain: 'long.example', jobKey: 'check:1', checkedAt: 1_700_000_000_000, verdict: 'mirror', site: 'harbor', relation: 'mirror', score: 0.9,
      pageKind: 'ok', sha256: 'c'.repeat(64), status: 200, finalUrl: 'https://long.example/', errorCode: null, liveness: 'alive', source: 'manual',
      evidenceJson: JSON.stringify(hostileEvidence(30_000)),
    } as Parameters<CheckStore['recordCheck']>[0]);
    expect(outcome.feedId).not.toBeNull();
    const [entry] = await store.feed();
    const stored = JSON.parse(String(entry!.fields.evidence)) as { evidence: unknown[]; truncated?: boolean };
    expect(stored.truncated).toBeUndefined();
    expect(stored.evidence).toHaveLength(12);
  });
});
