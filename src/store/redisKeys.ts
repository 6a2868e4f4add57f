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
  /** list: the hash-chained audit log of review decisions, oldest first, append-only */
  auditLog: string;
  /** hash: seq and hash of the audit log's last entry (what the next entry chains to) */
  auditHead: string;
  /** hash feed entry id → its current review state (absent = unreviewed) */
  reviewState: string;
  /** list: the decisions of one feed entry, oldest first (copies of its audit entries) */
  reviewDecisions(matchId: string): string;
  /** set: reviewers whose confirmations of one feed entry stand (emptied by a later non-confirm) */
  reviewConfirmers(matchId: string): string;
  /** sorted set domain → confirmedAt (ms): the confirmed domains of one site */
  confirmedDomains(site: string): string;
  /** hash domain → feed entry id whose confirmation put it in confirmedDomains(site) */
  confirmedBy(site: string): string;
  /** set of sites with at least one confirmed domain */
  confirmedSites: string;
  /** counter of candidates one site's checks proposed in one hour (fan-out budget), expires after two */
  fanout(site: string, hour: number): string;
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
    auditLog: `${tag}:review:audit`,
    auditHead: `${tag}:review:audit:head`,
    reviewState: `${tag}:review:state`,
    fanout: (site, hour) => `${tag}:fanout:${site}:${hour}`,
    reviewDecisions: (matchId) => `${tag}:review:decisions:${matchId}`,
    reviewConfirmers: (matchId) => `${tag}:review:confirmers:${matchId}`,
    confirmedDomains: (site) => `${tag}:review:confirmed:${site}`,
    confirmedBy: (site) => `${tag}:review:confirmed-by:${site}`,
    confirmedSites: `${tag}:review:confirmed-sites`,
  };
}
