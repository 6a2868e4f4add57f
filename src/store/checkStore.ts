/**
 * Candidates, their check history and liveness, and the match feed, in Redis.
 *
 * One check is recorded by one Lua script, so a worker killed halfway never leaves a candidate
 * updated without its feed entry (or the reverse), and two workers recording the same page never
 * make two feed entries: the feed entry is guarded by a key per domain + body SHA-256 (SET NX
 * inside the script), and a second record of the same job (a job re-run after its worker died
 * right after recording) is recognised by a per-job guard and changes nothing.
 */
import { fitEvidence } from './fitEvidence.js';
import type { Redis } from 'ioredis';
import type { Verdict } from '../match/types.js';
import type { RedisKeys } from './redisKeys.js';

/** Whether a domain answers as a site: what re-checks watch for. */
export type Liveness = 'alive' | 'dead';

export interface CheckRecord {
  domain: string;
  /** BullMQ job id, so a re-run of the same job is recorded once */
  jobKey: string;
  checkedAt: number;
  verdict: Verdict;
  site: string | null;
  relation: string | null;
  score: number;
  pageKind: string;
  sha256: string;
  status: number | null;
  finalUrl: string;
  errorCode: string | null;
  /** null when the check cannot tell (a passing fault) */
  liveness: Liveness | null;
  /** where the candidate came from: manual, redirect, recheck, discovery:schedule, discovery:ct ... */
  source: string;
  /** why discovery proposed it (one line a reviewer reads); '' for manual and re-checks */
  reason?: string;
  /** the evidence a reviewer reads; stored with the feed entry only, capped */
  evidenceJson: string;
  /** SHA-256 of the evidence package's manifest (src/evidence/); absent when none was written */
  manifest?: string | null;
}

export interface RecordOutcome {
  /** false when this job had already been recorded (nothing changed) */
  recorded: boolean;
  /** the new feed entry id, or null (no match, or this page already in the feed) */
  feedId: string | null;
  /** set when the domain's liveness changed with this check */
  transition: { from: Liveness; to: Liveness } | null;
}

export interface CandidateRecord {
  domain: string;
  state: string;
  source: string;
  checks: number;
  verdict: Verdict | null;
  site: string | null;
  liveness: Liveness | null;
  sha256: string | null;
  firstSeenAt: number | null;
  lastCheckedAt: number | null;
  errorCode: string | null;
}

export interface FeedEntry {
  id: string;
  fields: Record<string, string>;
}

export interface StoreLimits {
  historyPerCandidate: number;
  livenessStreamMaxLen: number;
  /** how long a per-job guard lives: longer than any job can be retried */
  jobGuardTtlMs: number;
  /** evidence JSON kept per feed entry */
  maxEvidenceBytes: number;
}

export const STORE_LIMIT_DEFAULTS: StoreLimits = Object.freeze({
  historyPerCandidate: 50,
  livenessStreamMaxLen: 100_000,
  jobGuardTtlMs: 7 * 86_400_000,
  maxEvidenceBytes: 64 * 1024,
});

// KEYS: candidate history candidates mirrors matchGuard feed unreviewed liveness jobGuard
// ARGV: domain now historyJson historyCap verdict site relation score sha256 pageKind errorCode
//       liveness isMatch finalUrl evidence source livenessMaxLen jobGuardTtl status manifest reason
const RECORD_CHECK = `
if redis.call('SET', KEYS[9], '1', 'NX', 'PX', ARGV[18]) == false then
  return {0, '', '', ''}
end
local prev = redis.call('HGET', KEYS[1], 'liveness')
redis.call('HSET', KEYS[1], 'domain', ARGV[1], 'state', 'checked', 'verdict', ARGV[5], 'site', ARGV[6],
  'relation', ARGV[7], 'score', ARGV[8], 'sha256', ARGV[9], 'pageKind', ARGV[10], 'errorCode', ARGV[11],
  'lastCheckedAt', ARGV[2], 'finalUrl', ARGV[14], 'status', ARGV[19])
redis.call('HSETNX', KEYS[1], 'firstSeenAt', ARGV[2])
redis.call('HSETNX', KEYS[1], 'source', ARGV[16])
if ARGV[21] ~= '' then redis.call('HSETNX', KEYS[1], 'reason', ARGV[21]) end
redis.call('HINCRBY', KEYS[1], 'checks', 1)
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
if ARGV[5] == 'mirror' then redis.call('SADD', KEYS[4], ARGV[1]) end
local from = ''
if ARGV[12] ~= '' then
  redis.call('HSET', KEYS[1], 'liveness', ARGV[12])
  if prev and prev ~= ARGV[12] then
    from = prev
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[17], '*', 'domain', ARGV[1], 'from', prev, 'to', ARGV[12], 'at', ARGV[2])
  end
end
local feedId = ''
if ARGV[13] == '1' and redis.call('SET', KEYS[5], ARGV[2], 'NX') then
  local entry = {'domain', ARGV[1], 'site', ARGV[6], 'verdict', ARGV[5], 'relation', ARGV[7],
    'score', ARGV[8], 'sha256', ARGV[9], 'finalUrl', ARGV[14], 'checkedAt', ARGV[2], 'source', ARGV[16], 'reason', ARGV[21], 'evidence', ARGV[15]}
  if ARGV[20] ~= '' then
    table.insert(entry, 'manifest')
    table.insert(entry, ARGV[20])
  end
  feedId = redis.call('XADD', KEYS[6], '*', unpack(entry))
  redis.call('ZADD', KEYS[7], ARGV[2], feedId)
end
return {1, feedId, from, ARGV[12]}
`;

/** A reason is one line for a reviewer; anything longer is cut (it may quote hostile text). */
const MAX_REASON_CHARS = 500;

function isMatch(verdict: Verdict): boolean {
  return verdict === 'mirror' || verdict === 'likely';
}

function num(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}

function str(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** Evidence JSON as a value to cut; text that is not JSON is kept (cut) as text. */
function parseOrText(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return { text: json };
  }
}

export class CheckStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
    private readonly limits: StoreLimits = STORE_LIMIT_DEFAULTS,
  ) {}

  /** The connection the store writes through (producers read queue counters with it). */
  get redisClient(): Redis {
    return this.redis;
  }

  /** Candidates entered the queue: known from now on, even before their first check. */
  async noteCandidates(domains: readonly string[], source: string, now: number): Promise<void> {
    if (domains.length === 0) return;
    const batch = this.redis.pipeline();
    for (const domain of domains) {
      const key = this.keys.candidate(domain);
      batch.hsetnx(key, 'domain', domain).hsetnx(key, 'state', 'queued').hsetnx(key, 'source', source).hsetnx(key, 'firstSeenAt', String(now));
      batch.zadd(this.keys.candidates, 'NX', now, domain);
    }
    await batch.exec();
  }

  async recordCheck(record: CheckRecord): Promise<RecordOutcome> {
    const k = this.keys;
    const history = JSON.stringify({
      at: record.checkedAt, verdict: record.verdict, site: record.site, score: record.score, pageKind: record.pageKind,
      sha256: record.sha256, status: record.status, error: record.errorCode, job: record.jobKey,
    });
    // too long: strings and lists cut until it fits, every evidence item kept (never a placeholder)
    const evidence = Buffer.byteLength(record.evidenceJson) > this.limits.maxEvidenceBytes ? fitEvidence(parseOrText(record.evidenceJson), this.limits.maxEvidenceBytes) : record.evidenceJson;
    const reply = (await this.redis.eval(
      RECORD_CHECK, 9,
      k.candidate(record.domain), k.history(record.domain), k.candidates, k.mirrors, k.matchGuard(record.domain, record.sha256),
      k.feed, k.unreviewed, k.liveness, `${k.bullPrefix}:recorded:${record.jobKey}`,
      record.domain, String(record.checkedAt), history, String(this.limits.historyPerCandidate), record.verdict, record.site ?? '',
      record.relation ?? '', record.score.toFixed(4), record.sha256, record.pageKind, record.errorCode ?? '', record.liveness ?? '',
      isMatch(record.verdict) ? '1' : '0', record.finalUrl, evidence, record.source, String(this.limits.livenessStreamMaxLen),
      String(this.limits.jobGuardTtlMs), record.status === null ? '' : String(record.status), record.manifest ?? '', (record.reason ?? '').slice(0, MAX_REASON_CHARS),
    )) as [number, string, string, string];
    const [recorded, feedId, from, to] = reply;
    return {
      recorded: recorded === 1,
      feedId: feedId || null,
      transition: from && to ? { from: from as Liveness, to: to as Liveness } : null,
    };
  }

  /** Whether this page of this domain (by body SHA-256) already has its feed entry. */
  async inFeed(domain: string, sha256: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.matchGuard(domain, sha256))) === 1;
  }

  async candidate(domain: string): Promise<CandidateRecord | null> {
    const h = await this.redis.hgetall(this.keys.candidate(domain));
    if (!h.domain) return null;
    return {
      domain: h.domain,
      state: h.state ?? 'queued',
      source: h.source ?? '',
      checks: Number(h.checks ?? 0),
      verdict: (str(h.verdict) as Verdict | null),
      site: str(h.site),
      liveness: str(h.liveness) as Liveness | null,
      sha256: str(h.sha256),
      firstSeenAt: num(h.firstSeenAt),
      lastCheckedAt: num(h.lastCheckedAt),
      errorCode: str(h.errorCode),
    };
  }

  async history(domain: string, count = 50): Promise<unknown[]> {
    const lines = await this.redis.lrange(this.keys.history(domain), 0, Math.max(0, count - 1));
    return lines.map((line) => JSON.parse(line) as unknown);
  }

  async candidateCount(): Promise<number> {
    return this.redis.zcard(this.keys.candidates);
  }

  /** Confirmed mirrors, in pages of `batch` (SSCAN: never one huge reply). */
  async *mirrorDomains(batch = 500): AsyncGenerator<string> {
    let cursor = '0';
    do {
      const [next, members] = await this.redis.sscan(this.keys.mirrors, cursor, 'COUNT', batch);
      cursor = next;
      yield* members;
    } while (cursor !== '0');
  }

  async feed(count = 100, afterId = '-'): Promise<FeedEntry[]> {
    const rows = await this.redis.xrange(this.keys.feed, afterId, '+', 'COUNT', count);
    return rows.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      return { id, fields };
    });
  }

  async markReviewed(feedId: string): Promise<void> {
    await this.redis.zrem(this.keys.unreviewed, feedId);
  }

  /**
   * Trim the feed to `keepReviewed` entries, never past the oldest unreviewed entry: a match
   * nobody has looked at yet is never lost to a length cap.
   */
  async trimFeed(keepReviewed: number, maxScan = 10_000): Promise<number> {
    const length = await this.redis.xlen(this.keys.feed);
    const excess = Math.min(length - keepReviewed, maxScan);
    if (excess <= 0) return 0;
    const oldest = await this.redis.xrange(this.keys.feed, '-', '+', 'COUNT', excess);
    const cutCandidate = oldest[oldest.length - 1]?.[0];
    if (!cutCandidate) return 0;
    const [firstUnreviewed] = await this.redis.zrange(this.keys.unreviewed, '0', '0');
    // MINID keeps ids >= the cut; cut just after the last excess entry unless an unreviewed one is older
    const afterCut = incrementStreamId(cutCandidate);
    const cut = firstUnreviewed !== undefined && compareStreamIds(firstUnreviewed, afterCut) < 0 ? firstUnreviewed : afterCut;
    return Number(await this.redis.xtrim(this.keys.feed, 'MINID', cut));
  }

  async livenessChanges(count = 100): Promise<FeedEntry[]> {
    const rows = await this.redis.xrevrange(this.keys.liveness, '+', '-', 'COUNT', count);
    return rows.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      return { id, fields };
    });
  }
}

function parseStreamId(id: string): [bigint, bigint] {
  const [ms, seq] = id.split('-');
  return [BigInt(ms ?? '0'), BigInt(seq ?? '0')];
}

function compareStreamIds(a: string, b: string): number {
  const [am, as] = parseStreamId(a);
  const [bm, bs] = parseStreamId(b);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

function incrementStreamId(id: string): string {
  const [ms, seq] = parseStreamId(id);
  return `${ms}-${seq + 1n}`;
}
