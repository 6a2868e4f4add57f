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

/** A TLD's kind: its length class (or IDN), and any extra kind mark (see `learnTldPrior`). */
function tldClass(tld: string, mark: (tld: string) => string): string {
  const length = tld.startsWith('xn--') ? 'idn' : tld.length >= 6 ? 'len6+' : `len${tld.length}`;
  const extra = mark(tld);
  return extra === '' ? length : `${length}/${extra}`;
}

/**
 * @param usage TLD → how many distinct registrable domains of the history used it
 * @param tlds every TLD that may be proposed (from the public suffix list)
 * @param classWeight how many pseudo-events the class prior is worth, relative to the
 *   number of observed events (1 = as much as the observations)
 * @param mark a further split of the kinds (e.g. whether the public suffix list has private
 *   rules under the TLD); how much each kind gets is still learned from the usage
 */
export function learnTldPrior(usage: ReadonlyMap<string, number>, tlds: readonly string[], classWeight = 1, mark: (tld: string) => string = () => ''): TldPrior {
  const tldClassOf = new Map<string, string>();
  for (const tld of new Set([...tlds, ...usage.keys()])) tldClassOf.set(tld, tldClass(tld, mark));
  const classOf = (tld: string) => tldClassOf.get(tld)!;
  const classSize = new Map<string, number>();
  for (const tld of tlds) classSize.set(classOf(tld), (classSize.get(classOf(tld)) ?? 0) + 1);
  const classUse = new Map<string, number>();
  let events = 0;
  for (const [tld, count] of usage) {
    if (!classSize.has(classOf(tld))) continue;
    classUse.set(classOf(tld), (classUse.get(classOf(tld)) ?? 0) + count);
    events += count;
  }
  const classes = classSize.size;
  const beta = Math.max(1, events * classWeight);
  const weights = new Map<string, number>();
  for (const tld of tlds) {
    const cls = classOf(tld);
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

/** `share` of `a` and the rest of `b` (both over the same TLDs): a softer split of the kinds. */
export function mixTldPriors(a: TldPrior, b: TldPrior, share: number): TldPrior {
  const weights = new Map<string, number>();
  for (const tld of a.ranked) weights.set(tld, share * a.weight(tld) + (1 - share) * b.weight(tld));
  const ranked = [...a.ranked].sort((x, y) => (weights.get(y)! - weights.get(x)!) || (x < y ? -1 : x > y ? 1 : 0));
  return { weight: (tld) => weights.get(tld) ?? 0, ranked };
}
