/**
 * The legal orders behind the blocked sites, from the sites' `legal` entries in the seeds and
 * the reference set. One order (one court, one date, one case) may name several sites; an
 * export "per order" lists the confirmed domains of all of them. Pure.
 */
import type { SiteRecord } from '../match/referenceSet.js';

export interface LegalOrder {
  /** stable id of the order: its `reference` if the seed gives one, else court-date-case as a slug */
  reference: string;
  court: string;
  date: string;
  caseRef: string | null;
  scope: string;
  sites: string[];
}

function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

type LegalEntry = SiteRecord['legal'][number] & { reference?: string };

export function orderReference(legal: LegalEntry): string {
  return legal.reference ?? slug([legal.authority, legal.date, legal.caseRef ?? ''].join(' '));
}

export function legalOrders(sites: readonly Pick<SiteRecord, 'id' | 'legal'>[]): LegalOrder[] {
  const byRef = new Map<string, LegalOrder>();
  for (const site of sites) {
    for (const legal of site.legal as LegalEntry[]) {
      const reference = orderReference(legal);
      const order = byRef.get(reference) ?? { reference, court: legal.authority, date: legal.date, caseRef: legal.caseRef ?? null, scope: legal.scope, sites: [] };
      if (!order.sites.includes(site.id)) order.sites.push(site.id);
      byRef.set(reference, order);
    }
  }
  return [...byRef.values()].sort((a, b) => a.date.localeCompare(b.date) || a.reference.localeCompare(b.reference));
}

/** The most recent order naming a site, or null. */
export function siteOrder(orders: readonly LegalOrder[], siteId: string): LegalOrder | null {
  const mine = orders.filter((o) => o.sites.includes(siteId));
  return mine[mine.length - 1] ?? null;
}
