/**
 * Same-site detection on the real-page corpus, hopwatch next to its baselines.
 *
 *   npm run eval -- [CORPUS_DIR] [--json] [--verbose]
 *
 * CORPUS_DIR defaults to ../shared/corpus. Without --json, stdout gets a readable report: the
 * protocol counts, one table row per detector, hopwatch's failures and same-operator leads (and,
 * with --verbose, every candidate). With --json, stdout gets exactly one JSON object (the whole
 * report, per-candidate listing included) and nothing else. Progress goes to stderr.
 * Exit codes: 0 done, 1 the run failed (unreadable corpus), 2 bad arguments.
 */
import { evaluateCorpus, type CandidateLine, type DetectorRow, type EvaluationReport } from './corpusEval.js';
import { NEGATIVE_CLASSES } from './corpusProtocol.js';
import type { PrecisionRecall } from './metrics.js';

const USAGE = `usage: npm run eval -- [CORPUS_DIR] [--json] [--verbose]

  CORPUS_DIR  folder with MANIFEST.tsv and the saved pages (default ../shared/corpus)
  --json      print one JSON object (the full report) instead of the tables
  --verbose   also list every candidate with hopwatch's verdict, score and evidence
`;

interface CliOptions {
  corpus: string;
  json: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): CliOptions | null {
  const opts: CliOptions = { corpus: '../shared/corpus', json: false, verbose: false };
  let positional = 0;
  for (const arg of argv) {
    if (arg === '--json') opts.json = true;
    else if (arg === '--verbose' || arg === '-v') opts.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) {
      process.stderr.write(`unknown option ${arg}\n${USAGE}`);
      return null;
    } else {
      if (positional++ > 0) {
        process.stderr.write(`only one corpus folder, got another: ${arg}\n${USAGE}`);
        return null;
      }
      opts.corpus = arg;
    }
  }
  return opts;
}

const fmt = (x: number | null): string => (x === null ? '  —  ' : x.toFixed(3));

function prCells(pr: PrecisionRecall): string[] {
  return [fmt(pr.precision), `${fmt(pr.recall)} (${pr.truePositives}/${pr.positives})`, fmt(pr.f1)];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function detectorTable(rows: DetectorRow[]): string {
  const header = ['detector', 'rule', 'P all', 'R all', 'F1 all', 'P same-type', 'R same-type', 'F1 same-type', ...NEGATIVE_CLASSES.map((c) => `FM ${c}`), 'wrong site'];
  return table(
    header,
    rows.map((r) => [
      r.detector,
      r.rule,
      ...prCells(r.scores.all),
      ...prCells(r.scores.sameType),
      ...NEGATIVE_CLASSES.map((c) => `${r.scores.falseMatches[c].count}/${r.scores.falseMatches[c].of}`),
      `${r.scores.wrongSite.count}/${r.scores.wrongSite.of}`,
    ]),
  );
}

function candidateLine(c: CandidateLine): string {
  const head = `${c.correct ? 'ok  ' : 'FAIL'} ${c.candidate} [${c.pageType}]  truth=${c.truth}  named=${c.named ?? '-'}  verdict=${c.verdict ?? '-'}${c.relation ? `/${c.relation}` : ''}${c.site && c.site !== c.named ? ` site=${c.site}` : ''}  score=${c.score ?? '-'}  kind=${c.pageKind}`;
  const rest = [
    ...(c.error ? [`error: ${c.error}`] : []),
    ...(c.pageKind !== 'ok' && c.pageKindReason ? [`kind reason: ${c.pageKindReason}`] : []),
    ...c.evidence,
  ];
  return [head, ...rest.map((e) => `       ${e}`)].join('\n');
}

function renderText(report: EvaluationReport, verbose: boolean): string {
  const p = report.protocol;
  const out: string[] = [];
  out.push(`corpus: ${report.corpus}`);
  out.push(
    `protocol: ${p.references} reference pages of ${p.referencedSites.length} sites; ${p.candidates} candidates = ${p.positives} positives (${p.sameTypePositives} same-type) + ` +
      NEGATIVE_CLASSES.map((c) => `${p.negatives[c]} ${c}`).join(' + ') +
      ` negatives; unreferenced (one-page) sites: ${p.unreferencedSites.join(', ') || 'none'}`,
  );
  if (p.undatedPages.length) out.push(`undated pages (never references): ${p.undatedPages.join('; ')}`);
  if (report.unreadable.length) out.push(`UNREADABLE: ${report.unreadable.join('; ')}`);
  out.push('');
  out.push(detectorTable(report.rows));
  out.push('');
  out.push('P = precision (claims that were right), R = recall (right/positives), FM = false matches among negatives of that class, wrong site = positives named as another site.');
  for (const b of report.baselines) {
    out.push(`${b.name}: input ${b.input}; conventional threshold ${b.conventionalThreshold} (${b.conventionalSource}); oracle ${b.oracleThreshold}; best same-type F1 ${b.bestSameTypeF1.toFixed(3)} at ${b.bestSameTypeF1Threshold}; unhashable: ${b.unhashable.length ? b.unhashable.join(', ') : 'none'}`);
  }
  out.push('');
  out.push('leave-one-site-out (a referenced site\'s references removed; its later pages must now name no site):');
  out.push(
    table(
      ['detector', 'rule', 'false matches', 'same-operator leads'],
      report.leaveOneSiteOut.map((r) => [r.detector, r.rule, `${r.falseMatches}/${r.of}`, r.detector === 'hopwatch' ? String(r.leads.length) : '-']),
    ),
  );
  for (const r of report.leaveOneSiteOut.filter((x) => x.detector.startsWith('hopwatch'))) {
    for (const p of r.pages) out.push(`  FALSE MATCH ${p}`);
    for (const l of r.leads) out.push(`  lead ${l}`);
  }
  for (const pr of report.protocols.slice(1)) {
    const c = pr.protocol;
    out.push('');
    out.push(`protocol ${pr.name}: ${pr.description}`);
    out.push(
      `  ${c.references} reference pages of ${c.referencedSites.length} sites; ${c.candidates} candidates = ${c.positives} positives (${c.sameTypePositives} same-type) + ` +
        NEGATIVE_CLASSES.map((k) => `${c.negatives[k]} ${k}`).join(' + ') +
        ' negatives; positives from: ' +
        ([...new Set(pr.hopwatch.filter((l) => !l.truth.startsWith('negative')).map((l) => l.candidate.split('/')[0]))].join(', ') || 'none'),
    );
    out.push(detectorTable(pr.rows));
    const misses = pr.hopwatch.filter((l) => !l.correct);
    out.push(`hopwatch failures under ${pr.name} (${misses.length}):`);
    out.push(misses.length ? misses.map(candidateLine).join('\n') : '  none');
  }
  out.push('');
  out.push(`times: ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  out.push('');
  const failures = report.hopwatch.filter((c) => !c.correct);
  out.push(`hopwatch failures (${failures.length}):`);
  out.push(failures.length ? failures.map(candidateLine).join('\n') : '  none');
  out.push('');
  out.push(`hopwatch same-operator leads (${report.leads.length}; not claims):`);
  out.push(report.leads.length ? report.leads.map((l) => `  ${l.candidate}  truth=${l.truth}  lead=${l.site}  score=${l.score.toFixed(3)}\n${l.evidence.map((e) => `       ${e}`).join('\n')}`).join('\n') : '  none');
  if (verbose) {
    out.push('');
    out.push('hopwatch, every candidate:');
    out.push(report.hopwatch.map(candidateLine).join('\n'));
    for (const b of report.baselines) {
      out.push('');
      out.push(`${b.name}, nearest reference per candidate:`);
      out.push(table(['candidate', 'truth', 'nearest site', 'distance'], b.nearest.map((n) => [n.candidate, n.truth, n.nearestSite ?? '-', n.distance === null ? '-' : String(n.distance)])));
    }
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts) return 2;
  let report: EvaluationReport;
  try {
    report = await evaluateCorpus(opts.corpus, { progress: (line) => process.stderr.write(`${line}\n`) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(`eval failed: ${code === 'ENOENT' ? `no MANIFEST.tsv in ${opts.corpus}` : err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : renderText(report, opts.verbose));
  return 0;
}

process.exitCode = await main();
