import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChainVerifier, EMPTY_HEAD, chainDecision, type DecisionInput } from '../../src/review/auditChain.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';

function input(n: number, decision: DecisionInput['decision'] = 'confirm'): DecisionInput {
  return { matchId: `${1000 + n}-0`, domain: `d${n}.test`, site: 'harbor', decision, reason: `reason ${n}`, reviewer: n % 2 ? 'alice' : 'bob', at: new Date(1_750_000_000_000 + n).toISOString() };
}

const ctx = { manifest: null, sha256: null, addresses: [] };

describe('audit chain (pure)', () => {
  it('each entry chains to the one before; a clean chain verifies', () => {
    const a = chainDecision(input(1), EMPTY_HEAD);
    const b = chainDecision(input(2), { seq: a.seq, hash: a.hash });
    expect(b.prevHash).toBe(a.hash);
    const v = new ChainVerifier();
    v.push(JSON.stringify(a));
    v.push(JSON.stringify(b));
    expect(v.finish({ seq: 2, hash: b.hash })).toMatchObject({ ok: true, entries: 2 });
  });
});

describe('audit log in Redis: tampering is detected', () => {
  const settings = testSettings();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = redisKeys(settings.keyPrefix);
  const store = new ReviewStore(redis, keys);

  afterEach(async () => {
    await dropPrefix(settings);
  });
  afterAll(() => {
    redis.disconnect();
  });

  async function fill(n: number): Promise<void> {
    for (let i = 1; i <= n; i += 1) await store.appendDecision(input(i), ctx);
  }

  it('concurrent decisions never fork the chain', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.appendDecision(input(i + 1), ctx)));
    const report = await store.verifyAudit();
    expect(report).toMatchObject({ ok: true, entries: 12 });
  });

  it('two writers on two connections (the server and the CLI) never fork it either', async () => {
    const other = new Redis(TEST_REDIS_URL);
    try {
      const second = new ReviewStore(other, keys);
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? store : second).appendDecision(input(i + 1), ctx)));
      expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 30 });
    } finally {
      other.disconnect();
    }
  });

  it('an edited entry', async () => {
    await fill(4);
    const raw = JSON.parse((await redis.lindex(keys.auditLog, 1))!) as Record<string, unknown>;
    raw.decision = 'reject';
    await redis.lset(keys.auditLog, 1, JSON.stringify(raw));
    const report = await store.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ position: 2 });
    expect(report.problems[0]!.problem).toContain('edited');
  });

  it('an edited entry whose hash was recomputed still breaks the next link', async () => {
    await fill(3);
    const { decisionHash } = await import('../../src/review/auditChain.js');
    const raw = JSON.parse((await redis.lindex(keys.auditLog, 0))!) as Parameters<typeof decisionHash>[0] & { hash: string };
    raw.reason = 'rewritten later';
    const { hash: _old, ...unsigned } = raw;
    await redis.lset(keys.auditLog, 0, JSON.stringify({ ...unsigned, hash: decisionHash(unsigned) }));
    const report = await store.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.position === 2 && p.problem.includes('prevHash'))).toBe(true);
  });

  it('a deleted entry', async () => {
    await fill(4);
    const victim = (await redis.lindex(keys.auditLog, 2))!;
    await redis.lrem(keys.auditLog, 1, victim);
    const report = await store.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.problem.includes('seq 4 where 3 was expected'))).toBe(true);
  });

  it('the last entry deleted (the head still knows)', async () => {
    await fill(3);
    await redis.rpop(keys.auditLog);
    const report = await store.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.problems.at(-1)!.problem).toContain('head records entry 3');
  });

  it('two entries swapped', async () => {
    await fill(4);
    const [one, two] = [await redis.lindex(keys.auditLog, 1), await redis.lindex(keys.auditLog, 2)];
    await redis.lset(keys.auditLog, 1, two!);
    await redis.lset(keys.auditLog, 2, one!);
    const report = await store.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.position)).toContain(2);
  });
});
