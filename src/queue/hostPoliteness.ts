/**
 * Per-host politeness across the whole fleet: before a check starts, its worker takes a lease on
 * the host (SET NX PX politenessDelayMs). Whoever holds the lease may contact the host; anyone
 * else learns how long it still runs (PTTL) and parks the job as delayed until then. BullMQ's
 * open-source rate limiter is per queue, not per host, hence this.
 *
 * Redirect targets get the same treatment hop by hop (`waitForLease`, from the crawler's
 * `beforeHop`): a check does not reach a second host sooner than a check of its own would.
 *
 * The lease is taken when the check starts and simply expires, so the next check of the host
 * starts at least politenessDelayMs after this one started, however many workers there are and
 * whichever of them crashes.
 */
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisKeys } from '../store/redisKeys.js';

export type LeaseOutcome = { granted: true } | { granted: false; retryInMs: number };

// KEYS: lease; ARGV: ttl ms, holder → -1 (granted) or the remaining ms (at least 1). The holder
// that already has the lease is granted again: one check may reach a host on several hops.
const TAKE_LEASE = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then return -1 end
if redis.call('GET', KEYS[1]) == ARGV[2] then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;

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
   * Wait until `holder` has the host's lease: take it, or sleep until the current one runs out and
   * try again. Bounded only by `signal` (the caller's deadline); rejects when it fires.
   */
  async waitForLease(host: string, holder: string, signal: AbortSignal, spreadMs = 0): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const lease = await this.take(host, holder);
      if (lease.granted) return;
      await sleep(lease.retryInMs + Math.floor(Math.random() * spreadMs), signal);
    }
  }
}
