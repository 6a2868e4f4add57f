/**
 * Review state in Redis: the audit log of decisions (hash-chained, append-only), each feed
 * entry's current state, and the confirmed domains of each site, which exports read and which
 * discovery and the reference set can learn from.
 *
 * One Lua script appends a decision and updates everything it changes, and only if the log's head
 * is still the one the entry was chained to (compare-and-append): two reviewers deciding at once
 * never fork the chain, the second retries on the new head. Nothing ever rewrites or deletes an
 * entry; a later decision supersedes an earlier one by coming after it.
 */
import type { Redis } from 'ioredis';
import { HopwatchError } from '../errors.js';
import { ChainVerifier, EMPTY_HEAD, GENESIS_HASH, chainDecision, stateOf, type ChainHead, type ChainReport, type Decision, type DecisionInput, type ReviewState } from '../review/auditChain.js';
import type { FeedEntry } from './checkStore.js';
import type { RedisKeys } from './redisKeys.js';

export interface ConfirmedDomain {
  domain: string;
  /** UTC ISO */
  confirmedAt: string;
  matchId: string;
}

/** What an export needs of a confirmation, kept with it so a trimmed feed never loses it. */
export interface ConfirmationDetail extends ConfirmedDomain {
  site: string;
  manifest: string | null;
  /** SHA-256 of the page body the match was made on */
  sha256: string | null;
  /** addresses the domain resolved to / was connected to when it was checked */
  addresses: string[];
  /** reviewers whose confirmation of the feed entry stands */
  confirmers: string[];
}

/** The parts of a feed entry a confirmation records. */
export interface ConfirmationContext {
  manifest: string | null;
  sha256: string | null;
  addresses: string[];
}

// KEYS: head log state decisions confirmers confirmed confirmedBy confirmedSites unreviewed
// ARGV: expectedSeq expectedHash newSeq newHash entryJson matchId decision reviewer domain atMs site newState detailJson
const APPEND_DECISION = `
local h = redis.call('HMGET', KEYS[1], 'seq', 'hash')
local seq = h[1] or '0'
local hash = h[2] or '${GENESIS_HASH}'
if seq ~= ARGV[1] or hash ~= ARGV[2] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'hash', ARGV[4])
redis.call('HSET', KEYS[3], ARGV[6], ARGV[12])
redis.call('RPUSH', KEYS[4], ARGV[5])
if ARGV[7] ~= 'needs-more' then redis.call('ZREM', KEYS[9], ARGV[6]) end
if ARGV[7] == 'confirm' then
  redis.call('SADD', KEYS[5], ARGV[8])
  if ARGV[11] ~= '' then
    local owner = redis.call('HGET', KEYS[7], ARGV[9])
    if not owner then
      redis.call('ZADD', KEYS[6], ARGV[10], ARGV[9])
      redis.call('HSET', KEYS[7], ARGV[9], ARGV[13])
    end
    redis.call('SADD', KEYS[8], ARGV[11])
  end
else
  redis.call('DEL', KEYS[5])
  if ARGV[11] ~= '' then
    local owner = redis.call('HGET', KEYS[7], ARGV[9])
    if owner and cjson.decode(owner).matchId == ARGV[6] then
      redis.call('ZREM', KEYS[6], ARGV[9])
      redis.call('HDEL', KEYS[7], ARGV[9])
    end
  end
end
return 1
`;

/** Retries of a compare-and-append that lost the race to another decision. */
const APPEND_ATTEMPTS = 50;
/** Entries read per round trip when walking the audit log. */
const AUDIT_PAGE = 500;

function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

export class ReviewStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
  ) {}

  async auditHead(): Promise<ChainHead> {
    const [seq, hash] = await this.redis.hmget(this.keys.auditHead, 'seq', 'hash');
    return seq && hash ? { seq: Number(seq), hash } : EMPTY_HEAD;
  }

  /**
   * Append one decision to the audit log and apply it; returns the entry as stored.
   * Appends from this process go one at a time (a promise chain): racing each other they would
   * only make each other retry. Another process appending at the same moment makes the script
   * refuse; we re-read the head and try again after a short random pause.
   */
  appendDecision(input: DecisionInput, context: ConfirmationContext): Promise<Decision> {
    const run = this.appendTail.then(() => this.appendNow(input, context));
    this.appendTail = run.then(() => undefined, () => undefined);
    return run;
  }

  private appendTail: Promise<void> = Promise.resolve();

  private async appendNow(input: DecisionInput, context: ConfirmationContext): Promise<Decision> {
    const k = this.keys;
    const atMs = Date.parse(input.at);
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
      const head = await this.auditHead();
      const entry = chainDecision(input, head);
      const json = JSON.stringify(entry);
      const detail = JSON.stringify({ matchId: input.matchId, confirmedAt: input.at, ...context });
      const applied = (await this.redis.eval(
        APPEND_DECISION, 9,
        k.auditHead, k.auditLog, k.reviewState, k.reviewDecisions(input.matchId), k.reviewConfirmers(input.matchId),
        k.confirmedDomains(input.site), k.confirmedBy(input.site), k.confirmedSites, k.unreviewed,
        String(head.seq), head.hash, String(entry.seq), entry.hash, json, input.matchId, input.decision, input.reviewer,
        input.domain, String(atMs), input.site, stateOf(input.decision), detail,
      )) as number;
      if (applied === 1) return entry;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
    throw new HopwatchError('REVIEW_AUDIT_BUSY', `the audit log changed under ${APPEND_ATTEMPTS} attempts to append a decision; try again`, { action: 'retry' });
  }

  async decisions(matchId: string): Promise<Decision[]> {
    const rows = await this.redis.lrange(this.keys.reviewDecisions(matchId), 0, -1);
    return rows.map((row) => JSON.parse(row) as Decision);
  }

  async state(matchId: string): Promise<ReviewState> {
    return ((await this.redis.hget(this.keys.reviewState, matchId)) as ReviewState | null) ?? 'unreviewed';
  }

  /** Every decided entry's state (entries without one are unreviewed); bounded by the feed's length. */
  async states(): Promise<Map<string, ReviewState>> {
    const all = await this.redis.hgetall(this.keys.reviewState);
    return new Map(Object.entries(all) as Array<[string, ReviewState]>);
  }

  async confirmers(matchId: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.reviewConfirmers(matchId))).sort();
  }

  /** The confirmed domains of a site, oldest confirmation first. */
  async confirmedDomains(siteId: string): Promise<ConfirmedDomain[]> {
    return (await this.confirmationDetails(siteId)).map(({ domain, confirmedAt, matchId }) => ({ domain, confirmedAt, matchId }));
  }

  async confirmationDetails(siteId: string): Promise<ConfirmationDetail[]> {
    const domains = await this.redis.zrange(this.keys.confirmedDomains(siteId), '0', '-1');
    if (domains.length === 0) return [];
    const details = await this.redis.hmget(this.keys.confirmedBy(siteId), ...domains);
    const out: ConfirmationDetail[] = [];
    for (let i = 0; i < domains.length; i += 1) {
      const raw = details[i];
      if (!raw) continue;
      const d = JSON.parse(raw) as { matchId: string; confirmedAt: string; manifest: string | null; sha256: string | null; addresses: string[] };
      out.push({ domain: domains[i]!, site: siteId, confirmedAt: d.confirmedAt, matchId: d.matchId, manifest: d.manifest, sha256: d.sha256, addresses: d.addresses ?? [], confirmers: await this.confirmers(d.matchId) });
    }
    return out;
  }

  async confirmedSites(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.confirmedSites)).sort();
  }

  /** The audit log, oldest first, in pages. */
  async *auditEntries(): AsyncGenerator<string> {
    for (let start = 0; ; start += AUDIT_PAGE) {
      const rows = await this.redis.lrange(this.keys.auditLog, start, start + AUDIT_PAGE - 1);
      yield* rows;
      if (rows.length < AUDIT_PAGE) return;
    }
  }

  async verifyAudit(): Promise<ChainReport> {
    const verifier = new ChainVerifier();
    // the head first: an entry appended while we read is then beyond it, not a false alarm
    const head = await this.auditHead();
    let n = 0;
    for await (const raw of this.auditEntries()) {
      if (n >= head.seq) break;
      verifier.push(raw);
      n += 1;
    }
    return verifier.finish(head);
  }

  /** The candidate's check history as a reviewer reads it (times as UTC ISO). */
  async redisCandidate(domain: string): Promise<{ firstSeenAt: string | null; lastCheckedAt: string | null; checks: number; liveness: string | null }> {
    const h = await this.redis.hmget(this.keys.candidate(domain), 'firstSeenAt', 'lastCheckedAt', 'checks', 'liveness');
    const iso = (v: string | null | undefined): string | null => (v ? new Date(Number(v)).toISOString() : null);
    return { firstSeenAt: iso(h[0]), lastCheckedAt: iso(h[1]), checks: Number(h[2] ?? 0), liveness: h[3] || null };
  }

  /** Where each candidate came from and what its page was, for feed entries that do not carry them. */
  async candidateFacts(domains: readonly string[]): Promise<Map<string, { source: string | null; pageKind: string | null }>> {
    const unique = [...new Set(domains)];
    const out = new Map<string, { source: string | null; pageKind: string | null }>();
    for (let i = 0; i < unique.length; i += 1000) {
      const batch = this.redis.pipeline();
      const slice = unique.slice(i, i + 1000);
      for (const d of slice) batch.hmget(this.keys.candidate(d), 'source', 'pageKind');
      const replies = (await batch.exec()) ?? [];
      slice.forEach((d, j) => {
        const [source, pageKind] = (replies[j]?.[1] as Array<string | null> | undefined) ?? [];
        out.set(d, { source: source || null, pageKind: pageKind || null });
      });
    }
    return out;
  }

  /** One feed entry by its stream id. */
  async feedEntry(id: string): Promise<FeedEntry | null> {
    if (!/^\d{1,20}-\d{1,20}$/.test(id)) return null;
    const rows = await this.redis.xrange(this.keys.feed, id, id);
    const row = rows[0];
    return row ? { id: row[0], fields: fieldsOf(row[1]) } : null;
  }

  /** The id of the oldest feed entry still in the stream (entries before it were trimmed), or null. */
  async firstFeedId(): Promise<string | null> {
    const rows = await this.redis.xrange(this.keys.feed, '-', '+', 'COUNT', '1');
    return rows[0]?.[0] ?? null;
  }

  /** The feed oldest first (after `afterId`, exclusive, when given), in pages of `batch`, at most `max` entries. */
  async *feedEntries(max: number, batch = 1000, afterId: string | null = null): AsyncGenerator<FeedEntry> {
    let start = afterId ? `(${afterId}` : '-';
    let seen = 0;
    while (seen < max) {
      const want = Math.min(batch, max - seen);
      const rows = await this.redis.xrange(this.keys.feed, start, '+', 'COUNT', String(want));
      for (const [id, flat] of rows) yield { id, fields: fieldsOf(flat) };
      seen += rows.length;
      if (rows.length < want) return;
      start = `(${rows[rows.length - 1]![0]}`;
    }
  }
}
