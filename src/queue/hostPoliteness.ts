/**
 * Per-host politeness across the whole fleet: before a check starts, its worker takes a lease on
 * the host (SET NX PX politenessDelayMs). Whoever holds the lease may contact the host; anyone
 * else learns how long it still runs (PTTL) and parks the job as delayed until then. BullMQ's
 * open-source rate limiter is per queue, not per host, hence this.
 *
 * Redirect targets get the same treatment hop by hop (`waitForLease`, from the crawler's
 * `beforeHop`): a check does not reach a second host sooner than a check of its own would.
 *
 * The lease is held for the whole check (`holdMs`: the delay plus the check's own deadline) and,
 * when the check ends, shortened to politenessDelayMs from that moment (`release`). So the next
 * request to the host is sent at least politenessDelayMs after this check's last answer, measured
 * where it matters, at the host; a worker that crashes mid-check frees the host after holdMs.
 */
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisKeys } from '../store/redisKeys.js';

export type LeaseOutcome = { granted: true } | { granted: false; retryInMs: number };

// KEYS: lease; ARGV: ttl ms, holder → -1 (granted) or the remaining ms (at least 1). The holder
// that already has the lease is granted again: one check may reach a host on several hops.
const TAKE_LEASE = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then return -1 end
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;

// KEYS: lease; ARGV: delay ms, holder → 1 if the holder's lease now ends delay ms from now, else 0
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) return 1 end
return 0
`;

export class HostPoliteness {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    readonly delayMs: number,
  ) {}

  /** Take (or, for its holder, renew) the host's lease for `holdMs` (at least the delay). */
  async take(host: string, holder: string, holdMs = this.delayMs): Promise<LeaseOutcome> {
    if (this.delayMs <= 0) return { granted: true };
    const ttl = Math.max(this.delayMs, Math.ceil(holdMs));
    const reply = Number(await this.redis.eval(TAKE_LEASE, 1, this.keys.hostLease(host), String(ttl), holder));
    return reply === -1 ? { granted: true } : { granted: false, retryInMs: reply };
  }

  /** The check is done with the host: its lease now ends politenessDelayMs from this moment. */
  async release(host: string, holder: string): Promise<void> {
    if (this.delayMs <= 0) return;
    await this.redis.eval(RELEASE_LEASE, 1, this.keys.hostLease(host), String(this.delayMs), holder);
  }

  /**
   * Wait until `holder` has the host's lease, for at most `maxWaitMs`: take it, or sleep and try
   * again. Resolves true once granted, false when the wait would pass `maxWaitMs` (the caller puts
   * its job back rather than hold a worker slot); rejects when `signal` fires.
   *
   * The sleep is capped at a quarter of the delay: the remaining TTL of a lease held by a running
   * check is its whole worst-case deadline, but the check shortens it to the delay when it ends
   * (`release`), usually long before. Sleeping the full TTL made redirects to a busy host wait
   * out that worst case and time out.
   */
  async waitForLease(host: string, holder: string, signal: AbortSignal, options: { spreadMs?: number; holdMs?: number; maxWaitMs: number }): Promise<boolean> {
    const until = performance.now() + options.maxWaitMs;
    const pollMs = Math.max(20, Math.floor(this.delayMs / 4));
    for (;;) {
      signal.throwIfAborted();
      const lease = await this.take(host, holder, options.holdMs ?? this.delayMs);
      if (lease.granted) return true;
      const left = until - performance.now();
      if (left <= 0) return false;
      const nap = Math.min(lease.retryInMs, pollMs) + Math.floor(Math.random() * (options.spreadMs ?? 0));
      await sleep(Math.min(nap, Math.max(1, left)), undefined, { signal });
    }
  }
}
