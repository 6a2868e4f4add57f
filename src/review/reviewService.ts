/**
 * What legal review does, over the feed and the review store: list matches, show one with its
 * evidence, record decisions, summarise sites, export confirmed domains. The HTTP server and the
 * CLI are thin edges over this, so both enforce the same rules.
 */
import { HopwatchError } from '../errors.js';
import type { ReferenceSet } from '../match/referenceSet.js';
import type { FeedEntry } from '../store/checkStore.js';
import type { ConfirmationDetail, ReviewStore } from '../store/reviewStore.js';
import type { EvidenceReader } from '../feed/evidenceReader.js';
import { DECISION_KINDS, type ChainReport, type Decision, type DecisionKind } from './auditChain.js';
import { planExport, renderExport, type ExportFormat, type RenderedExport } from './exports.js';
import type { ExportGuard } from './guard.js';
import { legalOrders, siteOrder, type LegalOrder } from './legalOrders.js';
import { queryMatches, type MatchPage, type MatchQuery } from './matchQuery.js';
import { fetchAddresses, storedEvidence, summarise, type EvidenceItem, type MatchSummary } from './matchSummary.js';

export interface MatchDetail extends MatchSummary {
  evidence: EvidenceItem[];
  fetch: Record<string, unknown> | null;
  manifestJson: Record<string, unknown> | null;
  decisions: Decision[];
  guard: { excluded: { value: string; reason: string }[] };
  history: { firstSeenAt: string | null; lastCheckedAt: string | null; checks: number; liveness: string | null; redirects: string[] };
  reference: { siteId: string; pageId: string; provenance: Record<string, string>; title: string; identifiers: string[] } | null;
  /** sha256 of the saved page body (for the sandboxed view), from the manifest */
  bodySha256: string | null;
  /** SHA-256 of the matched reference page's body: shown beside the candidate when the evidence directory holds it */
  referenceBodySha256: string | null;
  screenshot: string | null;
  confirmers: string[];
}

export interface SiteSummary {
  id: string;
  name: string;
  order: { reference: string; court: string; date: string } | null;
  knownDomains: { domain: string; since: string | null }[];
  confirmedDomains: { domain: string; confirmedAt: string }[];
  counts: { unreviewed: number; confirmed: number; rejected: number };
}

export interface ReviewServiceDeps {
  store: ReviewStore;
  referenceSet: ReferenceSet;
  guard: ExportGuard;
  /** comma-separated site ids, or `*` */
  fourEyesSites: string;
  evidence?: EvidenceReader | null;
  hopwatchVersion: string;
  clock?: () => number;
  /** feed entries read for a listing: the feed is capped, this bounds a listing's work anyway */
  maxFeedScan?: number;
}

export const MIN_REASON = 3;
export const MAX_REASON = 2000;
export const MAX_BULK = 1000;
/** A manifest larger than this is not inlined into a detail (it stays downloadable). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Stream ids `ms-seq` in order. */
function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((x) => BigInt(x));
  const [bm = 0n, bs = 0n] = b.split('-').map((x) => BigInt(x));
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

export class ReviewService {
  readonly orders: LegalOrder[];
  private readonly clock: () => number;
  private readonly fourEyesAll: boolean;
  private readonly fourEyes: Set<string>;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.orders = legalOrders(deps.referenceSet.sites);
    this.clock = deps.clock ?? Date.now;
    const list = deps.fourEyesSites.split(',').map((s) => s.trim()).filter(Boolean);
    this.fourEyesAll = list.includes('*');
    this.fourEyes = new Set(list);
  }

  get store(): ReviewStore {
    return this.deps.store;
  }

  get guard(): ExportGuard {
    return this.deps.guard;
  }

  needsFourEyes(site: string): boolean {
    return this.fourEyesAll || this.fourEyes.has(site);
  }

  /**
   * Every feed entry as a summary with its current state. Feed entries never change once written,
   * so their summaries are kept (in stream order) and each call reads only the entries added
   * since the last one, drops those the feed has trimmed, and applies the current states.
   */
  async summaries(): Promise<MatchSummary[]> {
    const store = this.deps.store;
    const max = this.deps.maxFeedScan ?? 500_000;
    const added: MatchSummary[] = [];
    for await (const entry of store.feedEntries(max, 1000, this.lastFeedId)) {
      added.push(summarise(entry, 'unreviewed'));
      if (this.lastFeedId === null || compareIds(entry.id, this.lastFeedId) > 0) this.lastFeedId = entry.id;
    }
    // older feed entries carry neither; the candidate's record does
    const facts = await store.candidateFacts(added.filter((m) => m.source === null || m.pageKind === null).map((m) => m.domain));
    for (const m of added) {
      const f = facts.get(m.domain);
      if (f) {
        m.source ??= f.source;
        m.pageKind ??= f.pageKind;
      }
      this.summaryCache.set(m.id, m);
    }
    const first = await store.firstFeedId();
    for (const id of this.summaryCache.keys()) {
      if (first !== null && compareIds(id, first) >= 0 && this.summaryCache.size <= max) break;
      this.summaryCache.delete(id);
    }
    const states = await store.states();
    return [...this.summaryCache.values()].map((m) => ({ ...m, state: states.get(m.id) ?? 'unreviewed' }));
  }

  private readonly summaryCache = new Map<string, MatchSummary>();
  private lastFeedId: string | null = null;

  async listMatches(query: MatchQuery): Promise<MatchPage> {
    return queryMatches(await this.summaries(), query);
  }

  private async entry(id: string): Promise<FeedEntry> {
    const entry = await this.deps.store.feedEntry(id);
    if (!entry) throw new HopwatchError('REVIEW_MATCH_NOT_FOUND', `no match ${id.slice(0, 50)} in the feed`);
    return entry;
  }

  private async manifest(sha256: string | null): Promise<Record<string, unknown> | null> {
    if (!sha256 || !this.deps.evidence) return null;
    const file = await this.deps.evidence.find(sha256);
    if (!file || file.ext !== 'manifest.json' || file.bytes > MAX_MANIFEST_BYTES) return null;
    const bytes = await this.deps.evidence.read(sha256);
    if (!bytes) return null;
    try {
      const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  async matchDetail(id: string): Promise<MatchDetail> {
    const entry = await this.entry(id);
    const store = this.deps.store;
    const summary = summarise(entry, await store.state(id));
    const facts = (await store.candidateFacts([summary.domain])).get(summary.domain);
    summary.source ??= facts?.source ?? null;
    summary.pageKind ??= facts?.pageKind ?? null;
    const stored = storedEvidence(entry);
    const manifestJson = await this.manifest(summary.manifest);
    const fetch = stored.fetch ?? ((manifestJson?.fetch as Record<string, unknown> | undefined) ?? null);
    const candidate = await store.redisCandidate(summary.domain);
    const excluded: { value: string; reason: string }[] = [];
    const host = this.deps.guard.checkHost(summary.domain);
    if (host.excluded) excluded.push({ value: summary.domain, reason: host.reason ?? '' });
    for (const a of fetchAddresses(fetch)) {
      const v = this.deps.guard.checkAddress(a);
      if (v.excluded) excluded.push({ value: a, reason: v.reason ?? '' });
    }
    const redirects = Array.isArray(fetch?.redirects) ? (fetch.redirects as unknown[]).map((r) => (r && typeof r === 'object' && 'url' in r ? String((r as { url: unknown }).url) : String(r))) : [];
    const refId = stored.evidence.find((e) => e.reference)?.reference ?? null;
    const page = refId ? this.deps.referenceSet.references.find((r) => r.id === refId && r.site === summary.site) ?? this.deps.referenceSet.references.find((r) => r.id === refId) : undefined;
    const body = manifestJson?.body as { sha256?: unknown } | undefined;
    const shot = manifestJson?.screenshot as { sha256?: unknown } | null | undefined;
    return {
      ...summary,
      title: summary.title ?? (typeof manifestJson?.title === 'string' ? manifestJson.title : null),
      pageKind: summary.pageKind ?? (typeof manifestJson?.pageKind === 'string' ? manifestJson.pageKind : null),
      evidence: stored.evidence,
      fetch,
      manifestJson,
      decisions: await store.decisions(id),
      guard: { excluded },
      history: {
        firstSeenAt: candidate.firstSeenAt,
        lastCheckedAt: candidate.lastCheckedAt,
        checks: candidate.checks,
        liveness: candidate.liveness,
        redirects,
      },
      reference: page ? { siteId: page.site, pageId: page.id, provenance: page.provenance, title: page.fingerprint.title, identifiers: page.fingerprint.identifiers.map((i) => i.value) } : null,
      bodySha256: typeof body?.sha256 === 'string' ? body.sha256 : null,
      referenceBodySha256: page?.fingerprint.sha256 ?? null,
      screenshot: typeof shot?.sha256 === 'string' ? shot.sha256 : null,
      confirmers: await store.confirmers(id),
    };
  }

  async decide(id: string, decision: unknown, reason: unknown, reviewer: string): Promise<Decision> {
    if (typeof decision !== 'string' || !DECISION_KINDS.includes(decision as DecisionKind)) throw new HopwatchError('REVIEW_BAD_DECISION', `decision must be one of ${DECISION_KINDS.join(', ')}`);
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (text.length < MIN_REASON || text.length > MAX_REASON) throw new HopwatchError('REVIEW_BAD_DECISION', `reason is required: ${MIN_REASON}..${MAX_REASON} characters`);
    const entry = await this.entry(id);
    const f = entry.fields;
    const stored = storedEvidence(entry);
    return this.deps.store.appendDecision(
      { matchId: id, domain: f.domain ?? '', site: f.site ?? '', decision: decision as DecisionKind, reason: text, reviewer, at: new Date(this.clock()).toISOString() },
      { manifest: f.manifest || null, sha256: f.sha256 || null, addresses: fetchAddresses(stored.fetch) },
    );
  }

  async decideBulk(ids: unknown, decision: unknown, reason: unknown, reviewer: string): Promise<Decision[]> {
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK || !ids.every((i) => typeof i === 'string')) throw new HopwatchError('REVIEW_BAD_DECISION', `ids must be 1..${MAX_BULK} match ids`);
    // every id must exist before any is decided: a typo never leaves half a batch recorded
    for (const id of ids as string[]) await this.entry(id);
    const out: Decision[] = [];
    for (const id of new Set(ids as string[])) out.push(await this.decide(id, decision, reason, reviewer));
    return out;
  }

  async sites(): Promise<SiteSummary[]> {
    const all = await this.summaries();
    const counts = new Map<string, SiteSummary['counts']>();
    for (const m of all) {
      const c = counts.get(m.site) ?? { unreviewed: 0, confirmed: 0, rejected: 0 };
      if (m.state === 'confirmed') c.confirmed += 1;
      else if (m.state === 'rejected') c.rejected += 1;
      else c.unreviewed += 1;
      counts.set(m.site, c);
    }
    const ids = new Set([...this.deps.referenceSet.sites.map((s) => s.id), ...counts.keys(), ...(await this.deps.store.confirmedSites())]);
    const out: SiteSummary[] = [];
    for (const id of [...ids].filter(Boolean).sort()) {
      const site = this.deps.referenceSet.sites.find((s) => s.id === id);
      const order = siteOrder(this.orders, id);
      out.push({
        id,
        name: site?.name ?? id,
        order: order ? { reference: order.reference, court: order.court, date: order.date } : null,
        knownDomains: (site?.domains ?? []).map((d) => ({ domain: d.domain, since: d.firstSeen })),
        confirmedDomains: (await this.deps.store.confirmedDomains(id)).map((d) => ({ domain: d.domain, confirmedAt: d.confirmedAt })),
        counts: counts.get(id) ?? { unreviewed: 0, confirmed: 0, rejected: 0 },
      });
    }
    return out;
  }

  async export(scope: { site?: string; order?: string }, format: ExportFormat): Promise<RenderedExport & { excluded: number; included: number }> {
    let confirmations: ConfirmationDetail[];
    let order: LegalOrder | null = null;
    if (scope.order) {
      order = this.orders.find((o) => o.reference === scope.order) ?? null;
      if (!order) throw new HopwatchError('REVIEW_UNKNOWN_ORDER', `no legal order "${scope.order.slice(0, 120)}" in the seeds; known: ${this.orders.map((o) => o.reference).join(', ') || 'none'}`);
      confirmations = (await Promise.all(order.sites.map((s) => this.deps.store.confirmationDetails(s)))).flat();
    } else if (scope.site) {
      const known = this.deps.referenceSet.sites.some((s) => s.id === scope.site) || (await this.deps.store.confirmedSites()).includes(scope.site);
      if (!known) throw new HopwatchError('REVIEW_UNKNOWN_SITE', `no site "${scope.site.slice(0, 120)}" in the reference set or among confirmed sites`);
      confirmations = await this.deps.store.confirmationDetails(scope.site);
    } else {
      throw new HopwatchError('REVIEW_UNKNOWN_SITE', 'an export needs a site or an order');
    }
    const plan = planExport(confirmations, { guard: this.deps.guard, fourEyes: (s) => this.needsFourEyes(s) }, { site: scope.site ?? null, order });
    const rendered = renderExport(plan, format, { generatedAt: new Date(this.clock()).toISOString(), hopwatchVersion: this.deps.hopwatchVersion });
    return { ...rendered, excluded: plan.excluded.length, included: plan.included.length };
  }

  verifyAudit(): Promise<ChainReport> {
    return this.deps.store.verifyAudit();
  }
}
