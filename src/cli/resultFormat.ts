import { paintVerdict } from './output.js';
import { isProposableHost } from '../discovery/proposableHost.js';
import type { CheckResult } from '../match/types.js';

/** One JSON object per line: stable field order for tools that diff or grep the output. */
export function resultJson<T extends CheckResult>(r: T): string {
  const { input, domain, pageKind, pageKindReason, verdict, site, relation, score, evidence, related, error, ...rest } = r;
  return JSON.stringify({ input, domain, pageKind, pageKindReason, verdict, site, relation, score, evidence, related, ...(error ? { error } : {}), ...rest });
}

/** A short human block: the verdict line, then the strongest evidence. */
export function resultText(r: CheckResult, maxEvidence = 4, colour = false): string {
  const head = [r.input, paintVerdict(r.verdict.toUpperCase(), r.verdict, colour), r.site ?? '-', r.relation ?? '-', r.score.toFixed(2), r.pageKind].join('  ');
  const lines = [head];
  if (r.error) lines.push(`    error ${r.error.code}: ${r.error.message}`);
  const fetched = (r as CheckResult & { fetch?: { finalUrl: string; status: number | null; connectedAddress: string | null; redirects: unknown[] } }).fetch;
  if (fetched && fetched.status !== null) {
    lines.push(`    fetched ${fetched.finalUrl} -> ${fetched.status}${fetched.connectedAddress ? ` from ${fetched.connectedAddress}` : ''}${fetched.redirects.length > 0 ? ` after ${fetched.redirects.length} redirect(s)` : ''}`);
  }
  if (r.verdict === 'inconclusive' && !r.error) lines.push(`    ${r.pageKindReason}`);
  const showEvidence = r.verdict === 'mirror' || r.verdict === 'likely';
  for (const e of r.evidence.slice(0, showEvidence ? maxEvidence : 0)) {
    lines.push(`    ${e.feature}: ${e.matched}${e.reference ? ` [${e.reference}]` : ''} (${e.weight})`);
  }
  const redirectHosts = ((r as CheckResult & { redirectHosts?: string[] }).redirectHosts ?? []).filter((h) => isProposableHost(h));
  if (redirectHosts.length > 0) lines.push(`    redirected through other hosts (new candidates): ${redirectHosts.slice(0, 5).join(', ')}`);
  for (const rel of r.related) lines.push(`    lead: ${rel.relation} ${rel.site} (${rel.score}) via ${rel.evidence.filter((e) => e.weight > 0).map((e) => `${e.feature} ${e.matched}`).slice(0, 2).join('; ')}`);
  return lines.join('\n');
}
