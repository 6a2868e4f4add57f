/**
 * What the discovery worker does with a job: propose candidates (the generator at a budget, or the
 * source that fits the trigger), drop what must never be fetched and what is known or was seen
 * recently, spend the trigger kind's hourly budget, DNS-pre-check the rest (bounded concurrency,
 * wildcard detection, injected resolver), and enqueue the live names for checking with the
 * source and reason that a reviewer finally reads on the feed entry.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings.js';
import { ctCandidates } from '../discovery/ctNames.js';
import { generateCandidates } from '../discovery/generate.js';
import { harvestCandidates } from '../discovery/harvest.js';
import { learnKnowledge, type DiscoveryKnowledge } from '../discovery/knowledge.js';
import { isProposableHost } from '../discovery/proposableHost.js';
import { resolveCheck, type NameResolver } from '../discovery/resolveCheck.js';
import type { Candidate } from '../discovery/types.js';
import type { CheckStore } from '../store/checkStore.js';
import type { RedisKeys } from '../store/redisKeys.js';
import { enqueueDomains, normaliseDomain, type CheckQueue, type DiscoveryKind } from './checkQueue.js';
import { DISCOVERY_JOB, type DiscoveryJobData, type DiscoveryJobResult, type DiscoveryTrigger } from './discoveryQueue.js';
import { isoDay, type KnowledgeSource } from './knowledgeSource.js';

export interface DiscoveryProcessorDeps {
  settings: Settings;
  store: CheckStore;
  checkQueue: CheckQueue;
  redis: Redis;
  keys: RedisKeys;
  knowledge: KnowledgeSource;
  resolver: NameResolver;
  /** domains that are never candidates beyond the histories (the reference set's own) */
  alsoKnown?: ReadonlySet<string>;
  clock?: () => number;
  /** told about every finished discovery job (logs, metrics) */
  onResult?: (result: DiscoveryJobResult) => void;
}

/** Candidates a match proposes for its site: its new name on other TLDs and with affixes. */
const MATCH_CANDIDATES = 50;
/** The generator's list a match's site-only candidates are taken from. */
const MATCH_POOL = 5000;
const HOUR_MS = 3_600_000;

/** The first `limit` candidates of `site` from a list ranked over all sites. */
function ofSite(candidates: readonly Candidate[], site: string, limit: number): Candidate[] {
  return candidates.filter((c) => c.site === site).slice(0, limit);
}

export function createDiscoveryProcessor(deps: DiscoveryProcessorDeps) {
  const clock = deps.clock ?? Date.now;
  const { settings } = deps;

  /** What the trigger's hosts propose, through the source that fits what was seen. */
  async function propose(trigger: DiscoveryTrigger, knowledge: DiscoveryKnowledge): Promise<Candidate[]> {
    const from = trigger.from;
    switch (trigger.kind) {
      case 'ct':
        return ctCandidates(trigger.hosts, knowledge).map((c) => ({ ...c, reason: trigger.reasons?.[c.domain] ?? c.reason }));
      case 'redirect':
        return harvestCandidates({ requestedUrl: from, redirects: trigger.hosts }, knowledge);
      case 'san':
        return harvestCandidates({ requestedUrl: from, certificateSans: trigger.hosts }, knowledge);
      case 'link':
        return harvestCandidates({ requestedUrl: from, linkedHosts: trigger.hosts }, knowledge);
      case 'match': {
        // a new domain of the site: learn as if it were listed today, then take the site's share
        const site = trigger.site;
        const domain = trigger.hosts[0];
        if (!site || !domain || knowledge.known.has(domain)) return [];
        const history = await deps.knowledge.history();
        const today = isoDay(clock());
        const grown = learnKnowledge([...history, { date: today, domain, site }], { asOf: today > knowledge.asOf ? today : knowledge.asOf });
        return ofSite(generateCandidates(grown, MATCH_POOL), site, MATCH_CANDIDATES).map((c) => ({ ...c, reason: `${c.reason} (after a match on ${domain})` }));
      }
    }
  }

  /** Hosts the store saw within the recent window (queued or checked): not proposed again. */
  async function seenRecently(domains: readonly string[]): Promise<Set<string>> {
    if (domains.length === 0 || settings.discoveryRecentMs === 0) return new Set();
    const since = clock() - settings.discoveryRecentMs;
    const batch = deps.redis.pipeline();
    for (const domain of domains) batch.zscore(deps.keys.candidates, domain);
    const replies = (await batch.exec()) ?? [];
    const seen = new Set<string>();
    replies.forEach(([err, score], i) => {
      if (!err && score !== null && Number(score) >= since) seen.add(domains[i]!);
    });
    return seen;
  }

  /** Take up to `wanted` from the kind's budget for this hour (fleet-wide counter in Redis). */
  async function spendBudget(kind: DiscoveryKind, wanted: number): Promise<number> {
    if (kind === 'schedule' || wanted === 0) return wanted;
    const key = `${deps.keys.bullPrefix}:discovery:budget:${kind}:${Math.floor(clock() / HOUR_MS)}`;
    const after = await deps.redis.incrby(key, wanted);
    if (after === wanted) await deps.redis.pexpire(key, 2 * HOUR_MS);
    const before = after - wanted;
    return Math.max(0, Math.min(wanted, settings.discoveryTriggerPerHour - before));
  }

  async function run(kind: DiscoveryKind, proposed: Candidate[], knowledge: DiscoveryKnowledge): Promise<DiscoveryJobResult> {
    const best = new Map<string, Candidate>();
    for (const c of proposed) {
      const domain = normaliseDomain(c.domain);
      if (!domain || !isProposableHost(domain) || knowledge.known.has(domain) || deps.alsoKnown?.has(domain)) continue;
      if (!best.has(domain)) best.set(domain, { ...c, domain });
    }
    const recent = await seenRecently([...best.keys()]);
    const fresh = [...best.values()].filter((c) => !recent.has(c.domain));
    const allowed = await spendBudget(kind, fresh.length);
    const toResolve = fresh.slice(0, allowed);
    const resolved = await resolveCheck(toResolve, deps.resolver, { concurrency: settings.discoveryDnsConcurrency });
    const live = resolved.filter((r) => r.status === 'live').map((r) => r.candidate);
    const reasons = new Map(live.map((c) => [c.domain, `${c.source}: ${c.reason}`]));
    const outcome = live.length === 0
      ? { created: 0 }
      : await enqueueDomains(deps.checkQueue, deps.store, settings, live.map((c) => c.domain), `discovery:${kind}`, clock, reasons);
    const result: DiscoveryJobResult = { kind, proposed: proposed.length, fresh: fresh.length, overBudget: fresh.length - toResolve.length, live: live.length, enqueued: outcome.created };
    deps.onResult?.(result);
    return result;
  }

  return async function processDiscoveryJob(job: Job<DiscoveryJobData>): Promise<DiscoveryJobResult> {
    const knowledge = await deps.knowledge.current();
    const kind = job.data.kind;
    if (job.name === DISCOVERY_JOB.generate) {
      if (!knowledge) return { kind, proposed: 0, fresh: 0, overBudget: 0, live: 0, enqueued: 0 };
      return run('schedule', generateCandidates(knowledge, settings.discoveryBudget), knowledge);
    }
    if (job.name === DISCOVERY_JOB.trigger) {
      const trigger = job.data as DiscoveryTrigger;
      if (!knowledge) return { kind, proposed: 0, fresh: 0, overBudget: 0, live: 0, enqueued: 0 };
      return run(trigger.kind, await propose(trigger, knowledge), knowledge);
    }
    throw new UnrecoverableError(`unknown discovery job name "${job.name}"`);
  };
}
