/**
 * Exports of confirmed domains for a court, a regulator or an ISP: a plain blocklist, CSV,
 * JSON lines, and a ticket in the shape the Italian Piracy Shield platform takes (lists of
 * `fqdn`, `ipv4`, `ipv6`, the forensic evidence hashes, the order's reference). Every export
 * passes the guard and the four-eyes rule, and says what it left out and why. Pure.
 */
import { isIP } from 'node:net';
import type { ConfirmationDetail } from '../store/reviewStore.js';
import { toCsv } from './csv.js';
import type { ExportGuard } from './guard.js';
import type { LegalOrder } from './legalOrders.js';

export const EXPORT_FORMATS = ['blocklist', 'csv', 'jsonl', 'ticket'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ExportKind = 'fqdn' | 'ipv4' | 'ipv6';

export interface ExportItem {
  kind: ExportKind;
  value: string;
  site: string;
  domain: string;
  matchId: string;
  confirmedAt: string;
  confirmedBy: string[];
  manifest: string | null;
  sha256: string | null;
}

export interface ExcludedItem extends ExportItem {
  reason: string;
}

export interface ExportPlan {
  scope: { site: string | null; order: LegalOrder | null };
  included: ExportItem[];
  excluded: ExcludedItem[];
  /** SHA-256 of the evidence behind the included items: manifests and page bodies */
  evidenceHashes: string[];
}

export interface ExportRules {
  guard: ExportGuard;
  /** whether a site's domains need two different reviewers' confirmations */
  fourEyes: (site: string) => boolean;
}

/** `cli:alice` and `alice` are one person: four eyes counts people, not channels. */
function person(reviewer: string): string {
  return reviewer.startsWith('cli:') ? reviewer.slice(4) : reviewer;
}

export function planExport(confirmations: readonly ConfirmationDetail[], rules: ExportRules, scope: ExportPlan['scope']): ExportPlan {
  const included: ExportItem[] = [];
  const excluded: ExcludedItem[] = [];
  const seen = new Set<string>();
  const hashes = new Set<string>();
  for (const c of confirmations) {
    const base = { site: c.site, domain: c.domain, matchId: c.matchId, confirmedAt: c.confirmedAt, confirmedBy: c.confirmers, manifest: c.manifest, sha256: c.sha256 };
    const people = new Set(c.confirmers.map(person));
    if (rules.fourEyes(c.site) && people.size < 2) {
      excluded.push({ ...base, kind: 'fqdn', value: c.domain, reason: `four eyes: confirmed by ${people.size} reviewer(s) (${[...people].join(', ') || 'none'}); site ${c.site} needs confirmations by 2 different reviewers` });
      continue;
    }
    const host = rules.guard.checkHost(c.domain);
    if (host.excluded) excluded.push({ ...base, kind: 'fqdn', value: c.domain, reason: host.reason ?? 'excluded' });
    else if (!seen.has(`fqdn:${c.domain}`)) {
      seen.add(`fqdn:${c.domain}`);
      included.push({ ...base, kind: 'fqdn', value: c.domain });
    }
    for (const address of c.addresses) {
      const kind: ExportKind = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      const verdict = host.excluded ? { excluded: true, reason: `address of an excluded host (${host.reason ?? 'excluded'})` } : rules.guard.checkAddress(address);
      if (verdict.excluded) excluded.push({ ...base, kind, value: address, reason: verdict.reason ?? 'excluded' });
      else if (!seen.has(`${kind}:${address}`)) {
        seen.add(`${kind}:${address}`);
        included.push({ ...base, kind, value: address });
      }
    }
    if (!host.excluded) {
      if (c.manifest) hashes.add(c.manifest);
      if (c.sha256) hashes.add(c.sha256);
    }
  }
  return { scope, included, excluded, evidenceHashes: [...hashes].sort() };
}

export interface RenderedExport {
  body: string;
  contentType: string;
  filename: string;
}

export interface RenderMeta {
  generatedAt: string;
  hopwatchVersion: string;
}

const CSV_HEADER = ['kind', 'value', 'site', 'domain', 'match_id', 'confirmed_at', 'confirmed_by', 'manifest', 'body_sha256', 'excluded', 'reason'] as const;

function scopeName(plan: ExportPlan): string {
  return plan.scope.order ? `order-${plan.scope.order.reference}` : `site-${plan.scope.site ?? 'all'}`;
}

function row(item: ExportItem, excluded: boolean, reason: string): unknown[] {
  return [item.kind, item.value, item.site, item.domain, item.matchId, item.confirmedAt, item.confirmedBy, item.manifest ?? '', item.sha256 ?? '', excluded ? 'true' : 'false', reason];
}

function jsonRow(item: ExportItem, excluded: boolean, reason: string | null): Record<string, unknown> {
  return { kind: item.kind, value: item.value, site: item.site, domain: item.domain, matchId: item.matchId, confirmedAt: item.confirmedAt, confirmedBy: item.confirmedBy, manifest: item.manifest, bodySha256: item.sha256, excluded, reason };
}

export function renderExport(plan: ExportPlan, format: ExportFormat, meta: RenderMeta): RenderedExport {
  const name = scopeName(plan);
  const stamp = meta.generatedAt.slice(0, 10);
  if (format === 'blocklist') {
    const lines = [
      `# hopwatch blocklist: ${plan.scope.order ? `order ${plan.scope.order.reference} (${plan.scope.order.court}, ${plan.scope.order.date})` : `site ${plan.scope.site ?? ''}`}`,
      `# generated ${meta.generatedAt} by hopwatch ${meta.hopwatchVersion}; ${plan.included.filter((i) => i.kind === 'fqdn').length} domains`,
      ...plan.included.filter((i) => i.kind === 'fqdn').map((i) => i.value),
      `# excluded: ${plan.excluded.length}`,
      ...plan.excluded.map((e) => `# excluded ${e.kind} ${e.value} (${e.site}): ${e.reason.replace(/[\r\n]+/g, ' ')}`),
    ];
    return { body: `${lines.join('\n')}\n`, contentType: 'text/plain; charset=utf-8', filename: `hopwatch-${name}-${stamp}.txt` };
  }
  if (format === 'csv') {
    const rows = [...plan.included.map((i) => row(i, false, '')), ...plan.excluded.map((e) => row(e, true, e.reason))];
    return { body: toCsv(CSV_HEADER, rows), contentType: 'text/csv; charset=utf-8', filename: `hopwatch-${name}-${stamp}.csv` };
  }
  if (format === 'jsonl') {
    const lines = [...plan.included.map((i) => jsonRow(i, false, null)), ...plan.excluded.map((e) => jsonRow(e, true, e.reason))].map((r) => JSON.stringify(r));
    return { body: lines.length ? `${lines.join('\n')}\n` : '', contentType: 'application/x-ndjson; charset=utf-8', filename: `hopwatch-${name}-${stamp}.jsonl` };
  }
  const order = plan.scope.order;
  const values = (kind: ExportKind) => plan.included.filter((i) => i.kind === kind).map((i) => i.value);
  const ticket = {
    dda_id: order?.reference ?? null,
    description: order ? `${order.court}, ${order.date}${order.caseRef ? `, ${order.caseRef}` : ''}: ${order.scope}` : `confirmed domains of site ${plan.scope.site ?? ''}`,
    fqdn: values('fqdn'),
    ipv4: values('ipv4'),
    ipv6: values('ipv6'),
    forensic_evidence: { hash: plan.evidenceHashes.map((h) => ({ hash_type: 'sha256', hash_string: h })) },
    order: order ? { reference: order.reference, court: order.court, date: order.date, caseRef: order.caseRef, sites: order.sites } : null,
    site: plan.scope.site,
    excluded: plan.excluded.map((e) => ({ kind: e.kind, value: e.value, site: e.site, matchId: e.matchId, reason: e.reason })),
    generatedAt: meta.generatedAt,
    generator: `hopwatch ${meta.hopwatchVersion}`,
  };
  return { body: `${JSON.stringify(ticket, null, 2)}\n`, contentType: 'application/json; charset=utf-8', filename: `hopwatch-${name}-${stamp}.ticket.json` };
}
