/**
 * How likely each TLD is to be the next one, learned only from the history given.
 *
 * Two parts, mixed as pseudo-counts: how often a TLD was used by any of these sites
 * and proxies (`c(t)`), and a prior over the *kind* of TLD they pick (its length class,
 * and whether it is an IDN), spread evenly inside the class. The second part is what
 * ranks TLDs nobody has used yet: proxy services hop to fresh TLDs every month, and the
 * history shows which kinds they like (short, ASCII) without naming them.
 */
export interface TldPrior {
  /** probability-like weight of `tld` (sums to 1 over all TLDs) */
  weight(tld: string): number;
  /** all TLDs, highest weight first (ties by name) */
  ranked: readonly string[];
}

function tldClass(tld: string): string {
  if (tld.startsWith('xn--')) return 'idn';
  return tld.length >= 6 ? 'len6+' : `len${tld.length}`;
}

/**
 * @param usage TLD → how many distinct registrable domains of the history used it
 * @param tlds every TLD that may be proposed (from the public suffix list)
 * @param classWeight how many pseudo-events the class prior is worth, relative to the
 *   number of observed events (1 = as much as the observations)
 */
export function learnTldPrior(usage: ReadonlyMap<string, number>, tlds: readonly string[], classWeight = 1): TldPrior {
  const classSize = new Map<string, number>();
  for (const tld of tlds) classSize.set(tldClass(tld), (classSize.get(tldClass(tld)) ?? 0) + 1);
  const classUse = new Map<string, number>();
  let events = 0;
  for (const [tld, count] of usage) {
    if (!classSize.has(tldClass(tld))) continue;
    classUse.set(tldClass(tld), (classUse.get(tldClass(tld)) ?? 0) + count);
    events += count;
  }
  const classes = classSize.size;
  const beta = Math.max(1, events * classWeight);
  const weights = new Map<string, number>();
  for (const tld of tlds) {
    const cls = tldClass(tld);
    // add-one smoothing over classes, then even within the class
    const pClass = ((classUse.get(cls) ?? 0) + 1) / (events + classes);
    const q = pClass / (classSize.get(cls) ?? 1);
    weights.set(tld, ((usage.get(tld) ?? 0) + beta * q) / (events + beta));
  }
  const ranked = [...tlds].sort((a, b) => (weights.get(b)! - weights.get(a)!) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    weight: (tld) => weights.get(tld) ?? 0,
    ranked,
  };
}
