import { splitHost } from './domainName.js';
import type { DiscoveryKnowledge } from './knowledge.js';

/** How a new domain relates to what was known before it, for per-pattern recall. */
export type HopPattern = 'new-tld' | 'affix' | 'proxy-subdomain' | 'proxy-base-hop' | 'other';

export const HOP_PATTERNS: readonly HopPattern[] = ['new-tld', 'affix', 'proxy-subdomain', 'proxy-base-hop', 'other'];

/**
 * Classify `domain` of `site` against the knowledge from strictly before its date:
 * - proxy-base-hop: a known proxy base on a registrable domain not seen before (bare or with a brand);
 * - proxy-subdomain: a brand on a base domain already seen;
 * - new-tld: a label the site already used, on another suffix;
 * - affix: a label that contains one the site used (or is contained in it), a few characters apart;
 * - other: anything else (unrelated-looking names, first appearances of a site).
 */
export function classifyHop(domain: string, site: string, knowledge: DiscoveryKnowledge): HopPattern {
  const parts = splitHost(domain);
  if (!parts) return 'other';
  const base = knowledge.bases.get(parts.label);
  const baseKnowsDomain = base?.domains.some((d) => d.registrable === parts.registrable) ?? false;
  if (base?.isProxy && !baseKnowsDomain) return 'proxy-base-hop';
  if (parts.sub !== '' && baseKnowsDomain) return 'proxy-subdomain';
  const siteKnowledge = knowledge.sites.get(site);
  const labels = new Set<string>([...(siteKnowledge?.ownLabels.keys() ?? []), ...(siteKnowledge?.subLabels.keys() ?? [])]);
  const label = parts.sub === '' ? parts.label : parts.sub;
  if (parts.sub === '' && siteKnowledge?.ownLabels.has(label)) return 'new-tld';
  for (const known of labels) {
    if (known.length < 3 || known === label) continue;
    const [long, short] = label.length > known.length ? [label, known] : [known, label];
    if (long.includes(short) && long.length - short.length <= 4) return 'affix';
  }
  return 'other';
}
