import type { SimhashAccumulator } from './simhash64.js';

/**
 * The text family's word unigrams and bigrams with their counts, keyed by the 64-bit feature
 * hash the simhash needs anyway: a `Map<string, number>` would hash every word a second time
 * (V8's own string hash), make a string for every bigram, and leave both to be read a third
 * time by murmur. A feature is a character range of a text (a unigram) or two (a bigram: the
 * two words, with the space between them implied), so no string is made for it.
 *
 * Equal hashes are not taken for equal features: on a hash match the characters are compared,
 * and two different features that share a hash stay two entries, as they would in a map. The
 * entries keep the order in which their features first occurred, the map's insertion order,
 * so the simhash sums the same features in the same order as the map route
 * (`TextChunks.boilerplateShingles`, which test/fingerprint/shingleTable.test.ts compares it to).
 */
export class ShingleTable {
  private readonly hi: number[] = [];
  private readonly lo: number[] = [];
  private readonly counts: number[] = [];
  private readonly firstText: string[] = [];
  private readonly firstStart: number[] = [];
  private readonly firstEnd: number[] = [];
  /** the bigram's second word, or null for a unigram */
  private readonly secondText: Array<string | null> = [];
  private readonly secondStart: number[] = [];
  private readonly secondEnd: number[] = [];
  /** entry index + 1 per slot, 0 for an empty slot; kept at most half full */
  private slots = new Int32Array(1024);

  get size(): number {
    return this.counts.length;
  }

  /** Counts one occurrence of the feature `a[aStart..aEnd)` (then, for a bigram, ' ' and `b[bStart..bEnd)`), whose hash is hi, lo. */
  add(hi: number, lo: number, a: string, aStart: number, aEnd: number, b: string | null, bStart: number, bEnd: number): void {
    const mask = this.slots.length - 1;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const e = this.slots[i]! - 1;
      if (e < 0) break;
      if (this.hi[e] === hi && this.lo[e] === lo && this.same(e, a, aStart, aEnd, b, bStart, bEnd)) {
        this.counts[e]!++;
        return;
      }
      i = (i + 1) & mask;
    }
    const e = this.counts.length;
    this.hi.push(hi);
    this.lo.push(lo);
    this.counts.push(1);
    this.firstText.push(a);
    this.firstStart.push(aStart);
    this.firstEnd.push(aEnd);
    this.secondText.push(b);
    this.secondStart.push(bStart);
    this.secondEnd.push(bEnd);
    this.slots[i] = e + 1;
    if (2 * (e + 1) > this.slots.length) this.grow();
  }

  /** Each feature's hash, with `weight(count)`, in first-occurrence order. */
  hashInto(acc: SimhashAccumulator, weight: (count: number) => number): void {
    for (let e = 0; e < this.counts.length; e++) acc.addHash(this.hi[e]!, this.lo[e]!, weight(this.counts[e]!));
  }

  /** The features spelt out, with their counts, in first-occurrence order. */
  spelt(): Map<string, number> {
    const out = new Map<string, number>();
    for (let e = 0; e < this.counts.length; e++) {
      const first = this.firstText[e]!.slice(this.firstStart[e], this.firstEnd[e]);
      const second = this.secondText[e] ?? null;
      out.set(second === null ? first : `${first} ${second.slice(this.secondStart[e], this.secondEnd[e])}`, this.counts[e]!);
    }
    return out;
  }

  /**
   * Whether entry e is the feature given. Words hold no space, so a unigram never equals a
   * bigram, and two bigrams are equal exactly when both their words are.
   */
  private same(e: number, a: string, aStart: number, aEnd: number, b: string | null, bStart: number, bEnd: number): boolean {
    const second = this.secondText[e] ?? null;
    if (!sameRange(this.firstText[e]!, this.firstStart[e]!, this.firstEnd[e]!, a, aStart, aEnd)) return false;
    if (second === null || b === null) return second === b;
    return sameRange(second, this.secondStart[e]!, this.secondEnd[e]!, b, bStart, bEnd);
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.counts.length; e++) {
      let i = (this.hi[e]! ^ Math.imul(this.lo[e]!, 0x9e3779b1)) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
  }
}

function sameRange(x: string, xStart: number, xEnd: number, y: string, yStart: number, yEnd: number): boolean {
  const n = xEnd - xStart;
  if (n !== yEnd - yStart) return false;
  for (let i = 0; i < n; i++) if (x.charCodeAt(xStart + i) !== y.charCodeAt(yStart + i)) return false;
  return true;
}
