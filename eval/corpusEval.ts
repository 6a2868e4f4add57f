import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nearestReference, simhashJsBaseline, tagPathJaccardBaseline, tlshBaseline, type Baseline, type HashedReference } from './baselines.js';
import { PROTOCOLS, type ProtocolName } from './protocols.js';
import { parseManifest, splitCorpus, NEGATIVE_CLASSES, type Candidate, type CorpusPage, type CorpusSplit, type NegativeClass, type Truth } from './corpusProtocol.js';
import type { PageFingerprint } from '../src/fingerprint/types.js';
import { buildReferenceSet, fingerprintOrError, HopwatchDetector, pageInputOf, topEvidence, type HopwatchAnswer } from './hopwatchDetector.js';
import { namedAtThreshold, scoreDetector, sweepThresholds, type DetectorScores, type NearestReference } from './metrics.js';

/**
 * One evaluation run over a corpus folder: the protocol split, hopwatch and the baselines on the
 * same pages, and every figure the CLI prints. Pure data out; printing is corpus.ts's job.
 */

export interface DetectorRow {
  detector: string;
  /** which rule named the site: hopwatch's verdict rule, or a distance threshold */
  rule: string;
  threshold: number | null;
  scores: DetectorScores;
}

export interface CandidateLine {
  candidate: string;
  pageType: string;
  truth: string;
  named: string | null;
  correct: boolean;
  verdict: string | null;
  relation: string | null;
  site: string | null;
  score: number | null;
  pageKind: string;
  pageKindReason: string;
  evidence: string[];
  error: string | null;
}

export interface BaselineDetail {
  name: string;
  input: string;
  conventionalThreshold: number;
  conventionalSource: string;
  oracleThreshold: number;
  bestSameTypeF1Threshold: number;
  bestSameTypeF1: number;
  unhashable: string[];
  nearest: Array<{ candidate: string; truth: string; nearestSite: string | null; distance: number | null }>;
}

/**
 * Leave-one-site-out: for each referenced site S, S's references are taken out and S's positive
 * candidates matched again. S is now a torrent site the detector has never seen, so naming any
 * site is a false match. This adds hard negatives the corpus has few of (other torrent sites of
 * the same genre, sites sharing an operator).
 */
export interface LeaveOneSiteOutRow {
  detector: string;
  rule: string;
  falseMatches: number;
  of: number;
  /** `candidate → named site` */
  pages: string[];
  /** same-operator leads raised instead (hopwatch only): the link a reviewer should see */
  leads: string[];
}

export interface ProtocolCounts {
  references: number;
  candidates: number;
  positives: number;
  sameTypePositives: number;
  negatives: Record<NegativeClass, number>;
  referencedSites: CorpusSplit['referencedSites'];
  unreferencedSites: string[];
}

/** One protocol's figures: the same detectors on that protocol's references and candidates. */
export interface ProtocolReport {
  name: ProtocolName;
  description: string;
  protocol: ProtocolCounts;
  rows: DetectorRow[];
  hopwatch: CandidateLine[];
}

export interface EvaluationReport {
  corpus: string;
  /** every protocol (the first is the corpus README's, repeated at the top level below) */
  protocols: ProtocolReport[];
  protocol: ProtocolCounts & { undatedPages: string[] };
  rows: DetectorRow[];
  leaveOneSiteOut: LeaveOneSiteOutRow[];
  /** `same-operator` leads hopwatch raised (not claims; listed for reviewers) */
  leads: Array<{ candidate: string; truth: string; site: string; score: number; evidence: string[] }>;
  hopwatch: CandidateLine[];
  baselines: BaselineDetail[];
  timingsMs: Record<string, number>;
  unreadable: string[];
}

export function truthLabel(truth: Truth): string {
  return truth.kind === 'positive' ? `${truth.site}${truth.sameType ? '' : ' (other type)'}` : `negative: ${truth.negativeClass}`;
}

function isCorrect(truth: Truth, named: string | null): boolean {
  return truth.kind === 'positive' ? named === truth.site : named === null;
}

async function readPages(dir: string, pages: readonly CorpusPage[], unreadable: string[]): Promise<Map<string, Uint8Array>> {
  const bodies = new Map<string, Uint8Array>();
  for (const page of pages) {
    try {
      bodies.set(page.localPath, await readFile(join(dir, page.localPath)));
    } catch (err) {
      unreadable.push(`${page.localPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return bodies;
}

function runBaseline<H>(
  baseline: Baseline<H>,
  split: CorpusSplit,
  bodies: Map<string, Uint8Array>,
  cache: Map<string, H | null> = new Map(),
): { detail: BaselineDetail; rows: DetectorRow[]; leaveOneSiteOut: LeaveOneSiteOutRow[] } {
  const unhashable: string[] = [];
  const hashOf = (page: CorpusPage): H | null => {
    let h: H | null = null;
    if (cache.has(page.localPath)) h = cache.get(page.localPath) ?? null;
    else {
      const body = bodies.get(page.localPath);
      try {
        h = body ? baseline.hash(body) : null;
      } catch {
        h = null;
      }
      cache.set(page.localPath, h);
    }
    if (h === null) unhashable.push(page.localPath);
    return h;
  };
  const references: Array<HashedReference<H>> = [];
  for (const page of split.references) {
    const hash = hashOf(page);
    if (hash !== null) references.push({ site: page.site, reference: page.localPath, hash });
  }
  const candidateHashes = split.candidates.map((c) => hashOf(c.page));
  const nearest: Array<NearestReference | null> = candidateHashes.map((h) => nearestReference(baseline, h, references));
  const sweep = sweepThresholds(split.candidates, nearest);
  const leaveOneSiteOut = [baseline.conventionalThreshold, sweep.oracle.threshold].map((threshold, i): LeaveOneSiteOutRow => {
    const pages: string[] = [];
    let of = 0;
    split.candidates.forEach((c, j) => {
      if (c.truth.kind !== 'positive') return;
      const site = c.truth.site;
      of++;
      const n = nearestReference(baseline, candidateHashes[j] ?? null, references.filter((r) => r.site !== site));
      if (n !== null && n.distance <= threshold) pages.push(`${c.page.localPath} → ${n.site}`);
    });
    return { detector: baseline.name, rule: `distance <= ${threshold}${i === 0 ? ' (conventional)' : ' (oracle)'}`, falseMatches: pages.length, of, pages, leads: [] };
  });
  const conventional = scoreDetector(split.candidates, namedAtThreshold(nearest, baseline.conventionalThreshold));
  const rows: DetectorRow[] = [
    { detector: baseline.name, rule: `distance <= ${baseline.conventionalThreshold} (conventional)`, threshold: baseline.conventionalThreshold, scores: conventional },
    { detector: baseline.name, rule: `distance <= ${sweep.oracle.threshold} (oracle: best F1 on this data)`, threshold: sweep.oracle.threshold, scores: sweep.oracle.scores },
  ];
  return {
    rows,
    leaveOneSiteOut,
    detail: {
      name: baseline.name,
      input: baseline.input,
      conventionalThreshold: baseline.conventionalThreshold,
      conventionalSource: baseline.conventionalSource,
      oracleThreshold: sweep.oracle.threshold,
      bestSameTypeF1Threshold: sweep.bestSameTypeF1.threshold,
      bestSameTypeF1: sweep.bestSameTypeF1.scores.sameType.f1,
      unhashable,
      nearest: split.candidates.map((c, i) => ({
        candidate: c.page.localPath,
        truth: truthLabel(c.truth),
        nearestSite: nearest[i]?.site ?? null,
        distance: nearest[i]?.distance ?? null,
      })),
    },
  };
}

export interface EvaluationOptions {
  /** called with a line of progress (stderr in the CLI) */
  progress?: (line: string) => void;
  /** skip the baselines (tests of the protocol that only need hopwatch) */
  baselines?: boolean;
}

type FingerprintResult = ReturnType<typeof fingerprintOrError>;

/** Fingerprints are computed once per page and shared by every protocol. */
function fingerprintCache(bodies: Map<string, Uint8Array>): (page: CorpusPage) => FingerprintResult {
  const cache = new Map<string, FingerprintResult>();
  return (page) => {
    let r = cache.get(page.localPath);
    if (!r) {
      const body = bodies.get(page.localPath);
      r = body ? fingerprintOrError(pageInputOf(page, body)) : { fingerprint: null, error: 'unreadable' };
      cache.set(page.localPath, r);
    }
    return r;
  };
}

function protocolCounts(split: CorpusSplit): ProtocolCounts {
  const negatives = Object.fromEntries(NEGATIVE_CLASSES.map((k) => [k, 0])) as Record<NegativeClass, number>;
  let positives = 0;
  let sameTypePositives = 0;
  for (const c of split.candidates) {
    if (c.truth.kind === 'negative') negatives[c.truth.negativeClass]++;
    else {
      positives++;
      if (c.truth.sameType) sameTypePositives++;
    }
  }
  return {
    references: split.references.length,
    candidates: split.candidates.length,
    positives,
    sameTypePositives,
    negatives,
    referencedSites: split.referencedSites,
    unreferencedSites: split.unreferencedSites,
  };
}

function candidateLines(split: CorpusSplit, answers: readonly HopwatchAnswer[]): CandidateLine[] {
  return split.candidates.map((c: Candidate, i) => {
    const a = answers[i]!;
    return {
      candidate: c.page.localPath,
      pageType: c.page.pageType,
      truth: truthLabel(c.truth),
      named: a.named,
      correct: isCorrect(c.truth, a.named),
      verdict: a.result?.verdict ?? null,
      relation: a.result?.relation ?? null,
      site: a.result?.site ?? null,
      score: a.result ? Math.round(a.result.score * 1000) / 1000 : null,
      pageKind: a.pageKind,
      pageKindReason: a.pageKindReason,
      evidence: a.result ? topEvidence(a.result.evidence) : [],
      error: a.error,
    };
  });
}

function hopwatchRows(split: CorpusSplit, answers: readonly HopwatchAnswer[], selfOnly: ReadonlyArray<string | null>): DetectorRow[] {
  const named = answers.map((a) => a.named);
  const mirrorOnly = answers.map((a) => (a.result?.verdict === 'mirror' ? a.named : null));
  return [
    { detector: 'hopwatch', rule: 'verdict mirror|likely, relation mirror', threshold: null, scores: scoreDetector(split.candidates, named) },
    { detector: 'hopwatch', rule: 'verdict mirror only', threshold: null, scores: scoreDetector(split.candidates, mirrorOnly) },
    { detector: 'hopwatch (ablation)', rule: 'brand + own-domain evidence only', threshold: null, scores: scoreDetector(split.candidates, selfOnly) },
  ];
}

function hopwatchAnswers(split: CorpusSplit, fingerprintOf: (page: CorpusPage) => FingerprintResult, unreadable: string[]): { answers: HopwatchAnswer[]; refFingerprints: Array<{ page: CorpusPage; fingerprint: PageFingerprint }>; selfOnly: Array<string | null> } {
  const refFingerprints: Array<{ page: CorpusPage; fingerprint: PageFingerprint }> = [];
  for (const page of split.references) {
    if (!page.localPath) continue;
    const { fingerprint, error } = fingerprintOf(page);
    if (fingerprint) refFingerprints.push({ page, fingerprint });
    else if (error !== 'unreadable') unreadable.push(`${page.localPath}: fingerprint failed: ${error}`);
  }
  const detector = HopwatchDetector.build(buildReferenceSet(refFingerprints));
  const answers = split.candidates.map((c) => {
    const { fingerprint, error } = fingerprintOf(c.page);
    return detector.answer(fingerprint, error);
  });
  const selfOnly = split.candidates.map((c) => detector.selfDescriptionOnly(fingerprintOf(c.page).fingerprint));
  return { answers, refFingerprints, selfOnly };
}

const BASELINES = [simhashJsBaseline, tlshBaseline, tagPathJaccardBaseline] as Array<Baseline<unknown>>;

export async function evaluateCorpus(corpusDir: string, options: EvaluationOptions = {}): Promise<EvaluationReport> {
  const dir = resolve(corpusDir);
  const progress = options.progress ?? (() => undefined);
  const timingsMs: Record<string, number> = {};
  const manifest = await readFile(join(dir, 'MANIFEST.tsv'), 'utf8');
  const entries = parseManifest(manifest);
  const split = splitCorpus(entries);
  const unreadable: string[] = [];
  const bodies = await readPages(dir, [...split.references, ...split.candidates.map((c) => c.page)], unreadable);
  const fingerprintOf = fingerprintCache(bodies);
  progress(`corpus ${dir}: ${split.references.length} references, ${split.candidates.length} candidates`);

  // hopwatch
  let t0 = performance.now();
  const { answers, refFingerprints, selfOnly } = hopwatchAnswers(split, fingerprintOf, unreadable);
  timingsMs.hopwatch = Math.round(performance.now() - t0);

  const losoPages: string[] = [];
  const losoLeads: string[] = [];
  const losoSelfOnly: string[] = [];
  let losoOf = 0;
  for (const { site } of split.referencedSites) {
    const positives = split.candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.truth.kind === 'positive' && c.truth.site === site);
    if (positives.length === 0) continue;
    const without = HopwatchDetector.build(buildReferenceSet(refFingerprints.filter((r) => r.page.site !== site)));
    for (const { c } of positives) {
      losoOf++;
      const { fingerprint, error } = fingerprintOf(c.page);
      const a = without.answer(fingerprint, error);
      if (a.named !== null) losoPages.push(`${c.page.localPath} → ${a.named} (${a.result?.verdict}, ${a.result?.score.toFixed(3)})`);
      const selfNamed = without.selfDescriptionOnly(fingerprint);
      if (selfNamed !== null) losoSelfOnly.push(`${c.page.localPath} → ${selfNamed}`);
      if (a.lead !== null) losoLeads.push(`${c.page.localPath} → lead ${a.lead} (${a.result ? topEvidence(a.result.evidence, 1).join('') : ''})`);
    }
  }
  const leaveOneSiteOut: LeaveOneSiteOutRow[] = [
    { detector: 'hopwatch', rule: 'verdict mirror|likely, relation mirror', falseMatches: losoPages.length, of: losoOf, pages: losoPages, leads: losoLeads },
    { detector: 'hopwatch (ablation)', rule: 'brand + own-domain evidence only', falseMatches: losoSelfOnly.length, of: losoOf, pages: losoSelfOnly, leads: [] },
  ];
  progress(`hopwatch: ${timingsMs.hopwatch} ms`);

  const rows = hopwatchRows(split, answers, selfOnly);
  const hopwatch = candidateLines(split, answers);
  const leads = split.candidates.flatMap((c, i) => {
    const a = answers[i]!;
    return a.lead !== null && a.result
      ? [{ candidate: c.page.localPath, truth: truthLabel(c.truth), site: a.lead, score: a.result.score, evidence: topEvidence(a.result.evidence) }]
      : [];
  });

  // baselines, same pages; each page hashed once per baseline, shared by every protocol
  const baselines: BaselineDetail[] = [];
  const baselineCaches = BASELINES.map(() => new Map<string, unknown>());
  if (options.baselines !== false) {
    BASELINES.forEach((baseline, b) => {
      t0 = performance.now();
      const { rows: baselineRows, detail, leaveOneSiteOut: baselineLoso } = runBaseline(baseline, split, bodies, baselineCaches[b]);
      rows.push(...baselineRows);
      leaveOneSiteOut.push(...baselineLoso);
      baselines.push(detail);
      timingsMs[baseline.name] = Math.round(performance.now() - t0);
      progress(`${baseline.name}: ${timingsMs[baseline.name]} ms`);
    });
  }

  const counts = protocolCounts(split);
  const protocols: ProtocolReport[] = [{ name: PROTOCOLS[0]!.name, description: PROTOCOLS[0]!.description, protocol: counts, rows, hopwatch }];
  for (const p of PROTOCOLS.slice(1)) {
    t0 = performance.now();
    const pSplit = p.split(entries);
    const { answers: pAnswers, selfOnly: pSelfOnly } = hopwatchAnswers(pSplit, fingerprintOf, unreadable);
    const pRows = hopwatchRows(pSplit, pAnswers, pSelfOnly);
    if (options.baselines !== false) BASELINES.forEach((baseline, b) => pRows.push(...runBaseline(baseline, pSplit, bodies, baselineCaches[b]).rows));
    protocols.push({ name: p.name, description: p.description, protocol: protocolCounts(pSplit), rows: pRows, hopwatch: candidateLines(pSplit, pAnswers) });
    timingsMs[`protocol ${p.name}`] = Math.round(performance.now() - t0);
    progress(`protocol ${p.name}: ${timingsMs[`protocol ${p.name}`]} ms`);
  }

  const allPages = [...split.references, ...split.candidates.map((c) => c.page)];
  return {
    corpus: dir,
    protocols,
    protocol: {
      ...counts,
      undatedPages: allPages.filter((p) => p.saved.day === null).map((p) => `${p.localPath} (${p.savedDate})`),
    },
    rows,
    leaveOneSiteOut,
    leads,
    hopwatch,
    baselines,
    timingsMs,
    unreadable: [...new Set(unreadable)],
  };
}
