/**
 * Every Redis key hopwatch writes, under one configurable prefix written as a Cluster hash tag
 * (`{hopwatch}:...`): all keys land in one slot, so the multi-key Lua scripts below and BullMQ's
 * own scripts work on Redis Cluster too.
 */
export interface RedisKeys {
  /** BullMQ's `prefix` option: queues live under `{prefix}:<queue>:...` */
  bullPrefix: string;
  /** hash: state, last verdict, sha256, times, check count */
  candidate(domain: string): string;
  /** list, newest first, capped: one JSON line per check */
  history(domain: string): string;
  /** sorted set domain → last check time: the candidates the store knows */
  candidates: string;
  /** set of domains confirmed as mirrors: what the mirror re-check scheduler re-checks */
  mirrors: string;
  /** string guard, one per domain + body sha256: the feed gets each page once */
  matchGuard(domain: string, sha256: string): string;
  /** stream: the match feed legal review reads */
  feed: string;
  /** sorted set of feed entry ids not reviewed yet (score = ms): never trimmed away */
  unreviewed: string;
  /** stream of liveness changes (died / came back) */
  liveness: string;
  /** string lease per host: held for the politeness delay after a check starts */
  hostLease(host: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const tag = `{${prefix}}`;
  return {
    bullPrefix: tag,
    candidate: (domain) => `${tag}:candidate:${domain}`,
    history: (domain) => `${tag}:history:${domain}`,
    candidates: `${tag}:candidates`,
    mirrors: `${tag}:mirrors`,
    matchGuard: (domain, sha256) => `${tag}:match:${domain}:${sha256}`,
    feed: `${tag}:feed`,
    unreviewed: `${tag}:feed:unreviewed`,
    liveness: `${tag}:liveness`,
    hostLease: (host) => `${tag}:lease:${host}`,
  };
}
