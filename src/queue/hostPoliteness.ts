/**
 * Per-host politeness across the whole fleet: before a check starts, its worker takes a lease on
 * the host (SET NX PX politenessDelayMs). Whoever holds the lease may contact the host; anyone
 * else learns how long it still runs (PTTL) and parks the job as delayed until then. BullMQ's
 * open-source rate limiter is per queue, not per host, hence this.
 *
 * The lease is taken when the check starts and simply expires, so the next check of the host
 * starts at least politenessDelayMs after this one started, however many workers there are and
 * whichever of them crashes.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../store/redisKeys.js';

export type LeaseOutcome = { granted: true } | { granted: false; retryInMs: number };

// KEYS: lease; ARGV: ttl ms, holder → 1 or the remaining ms (at least 1)
const TAKE_LEASE = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;

/** a redirect chain is capped at 10 hops by the crawler; this only bounds a bad caller */
const MAX_TOUCHED_HOSTS = 32;

export class HostPoliteness {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    readonly delayMs: number,
  ) {}

  async take(host: string, holder: string): Promise<LeaseOutcome> {
    if (this.delayMs <= 0) return { granted: true };
    const reply = Number(await this.redis.eval(TAKE_LEASE, 1, this.keys.hostLease(host), String(this.delayMs), holder));
    return reply === -1 ? { granted: true } : { granted: false, retryInMs: reply };
  }

  /**
   * Hosts a check reached without a lease of their own (redirect targets): start their delay now,
   * so their own check, if queued, waits. An existing longer lease is kept.
   */
  async touch(hosts: readonly string[], holder: string): Promise<void> {
    if (this.delayMs <= 0 || hosts.length === 0) return;
    const batch = this.redis.pipeline();
    for (const host of hosts.slice(0, MAX_TOUCHED_HOSTS)) {
      const key = this.keys.hostLease(host);
      batch.set(key, holder, 'PX', this.delayMs, 'NX').pexpire(key, this.delayMs, 'GT');
    }
    await batch.exec();
  }
}
