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

/** One move to a registrable domain on a single-label TLD, in date order: was the TLD new to everyone? */
export interface TldPick {
  tld: string;
  /** nobody in the history had used this TLD before */
  novel: boolean;
}

/**
 * The chance that a move lands on a TLD nobody has used yet, learned from the moves themselves
 * (add-one smoothed): proxies hop to fresh TLDs most of the time, brands less often. Replaces the
 * fixed half-and-half of usage and kind prior, which ranked every never-used TLD below every
 * used one for brands and spread proxies' fresh picks too thin.
 */
export function learnNoveltyRate(picks: readonly TldPick[]): number {
  const novel = picks.filter((p) => p.novel).length;
  return (novel + 1) / (picks.length + 2);
}

/**
 * A TLD prior in two parts with learned masses: `1 − novelty` over the TLDs someone used (by
 * usage count, the kind prior inside as a tie-break), `novelty` over the rest by the kinds of the
 * *novel* picks (smoothed towards the kinds of all picks, as many pseudo-picks as there are
 * kinds; even inside a kind). `mark` splits the kinds further, as in `learnTldPrior`.
 */
export function learnNoveltyTldPrior(
  usage: ReadonlyMap<string, number>,
  picks: readonly TldPick[],
  tlds: readonly string[],
  mark: (tld: string) => string = () => '',
): TldPrior {
  const novelty = learnNoveltyRate(picks);
  const base = learnTldPrior(usage, tlds, 1, mark);
  const tldSet = new Set(tlds);
  const unused = tlds.filter((t) => !usage.has(t));
  const classOf = (tld: string) => tldClass(tld, mark);
  const classSize = new Map<string, number>();
  for (const tld of unused) classSize.set(classOf(tld), (classSize.get(classOf(tld)) ?? 0) + 1);
  const novelClassUse = new Map<string, number>();
  let novelPicks = 0;
  for (const pick of picks) {
    if (!pick.novel || !classSize.has(classOf(pick.tld))) continue;
    novelClassUse.set(classOf(pick.tld), (novelClassUse.get(classOf(pick.tld)) ?? 0) + 1);
    novelPicks++;
  }
  // the kinds of all picks (add-one smoothed) are the pseudo-counts of the novel picks' kinds: a
  // kind nobody ever picked stays rare instead of getting an even share of few novel picks
  const allClassUse = new Map<string, number>();
  let allPicks = 0;
  for (const [tld, count] of usage) {
    if (!tldSet.has(tld)) continue;
    allClassUse.set(classOf(tld), (allClassUse.get(classOf(tld)) ?? 0) + count);
    allPicks += count;
  }
  const pAll = (cls: string) => ((allClassUse.get(cls) ?? 0) + 1) / (allPicks + classSize.size);
  const strength = classSize.size;
  let usedTotal = 0;
  for (const [tld, count] of usage) if (tldSet.has(tld)) usedTotal += count;
  const weights = new Map<string, number>();
  for (const tld of tlds) {
    const count = usage.get(tld) ?? 0;
    if (count > 0) {
      // the base prior's tiny kind share keeps ties between equally used TLDs in a learned order
      weights.set(tld, (1 - novelty) * (count / usedTotal) + 1e-9 * base.weight(tld));
      continue;
    }
    const cls = classOf(tld);
    const pClass = ((novelClassUse.get(cls) ?? 0) + strength * pAll(cls)) / (novelPicks + strength);
    weights.set(tld, novelty * (pClass / (classSize.get(cls) ?? 1)));
  }
  const ranked = [...tlds].sort((a, b) => (weights.get(b)! - weights.get(a)!) || (a < b ? -1 : a > b ? 1 : 0));
  return { weight: (tld) => weights.get(tld) ?? 0, ranked };
}
