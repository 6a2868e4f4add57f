import { doubled } from './doubled.js';
import type { SimhashAccumulator } from './simhash64.js';

/** the most entries a table is made for up front; past that it grows */
const MAX_INITIAL_ENTRIES = 1 << 15;

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
 * (`TextChunks.boilerplateShingles`, which test/fingerprint/featureFamily.test.ts compares it to).
 */
export class ShingleTable {
  /** per entry, in typed arrays grown by doubling: hash halves (as int32), count, and the ranges' ends */
  private hi: Int32Array<ArrayBuffer>;
  private lo: Int32Array<ArrayBuffer>;
  private counts: Int32Array<ArrayBuffer>;
  /** first start, first end, second start, second end */
  private ranges: Int32Array<ArrayBuffer>;
  private readonly firstText: string[];
  /** the bigram's second word, or null for a unigram */
  private readonly secondText: Array<string | null>;
  private entries = 0;
  /** entry index + 1 per slot, 0 for an empty slot; kept at most half full */
  private slots: Int32Array<ArrayBuffer>;

  /**
   * `expected`: about how many entries the table will get. Sized for them at once: growing by
   * doubling from 256 entries made about ten typed arrays on a page of the corpus, and an
   * Int32Array of 1,024 took 1.6 µs to make here (a Float64Array of 128, 1.0 µs).
   */
  constructor(expected = 256) {
    // the entries' arrays as long as expected (only the slots need a power of two, for the mask):
    // rounded up to one, they had been half again as big, about 2 MB a round over the corpus
    const capacity = Math.max(64, Math.min(Math.ceil(expected), MAX_INITIAL_ENTRIES));
    let slots = 128;
    while (slots < 2 * capacity) slots *= 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.ranges = new Int32Array(4 * capacity);
    this.slots = new Int32Array(slots);
    // made as long as the entries' arrays, not grown one push at a time
    this.firstText = new Array<string>(capacity);
    this.secondText = new Array<string | null>(capacity);
  }

  get size(): number {
    return this.entries;
  }

  /** Counts one occurrence of the feature `a[aStart..aEnd)` (then, for a bigram, ' ' and `b[bStart..bEnd)`), whose hash is hi, lo. */
  add(hi: number, lo: number, a: string, aStart: number, aEnd: number, b: string | null, bStart: number, bEnd: number): void {
    // kept as int32 in the typed arrays: compared as int32 too (callers hand unsigned halves)
    hi |= 0;
    lo |= 0;
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
    const e = this.entries++;
    if (e === this.hi.length) this.growEntries();
    this.hi[e] = hi;
    this.lo[e] = lo;
    this.counts[e] = 1;
    this.ranges[4 * e] = aStart;
    this.ranges[4 * e + 1] = aEnd;
    this.ranges[4 * e + 2] = bStart;
    this.ranges[4 * e + 3] = bEnd;
    this.firstText[e] = a;
    this.secondText[e] = b;
    this.slots[i] = e + 1;
    if (2 * (e + 1) > this.slots.length) this.grow();
  }

  /** Each feature's hash, with `weight(count)`, in first-occurrence order. */
  hashInto(acc: SimhashAccumulator, weight: (count: number) => number): void {
    for (let e = 0; e < this.entries; e++) acc.addHash(this.hi[e]! >>> 0, this.lo[e]! >>> 0, weight(this.counts[e]!));
  }

  /** The features spelt out, with their counts, in first-occurrence order. */
  spelt(): Map<string, number> {
    const out = new Map<string, number>();
    const r = this.ranges;
    for (let e = 0; e < this.entries; e++) {
      const first = this.firstText[e]!.slice(r[4 * e], r[4 * e + 1]);
      const second = this.secondText[e] ?? null;
      out.set(second === null ? first : `${first} ${second.slice(r[4 * e + 2], r[4 * e + 3])}`, this.counts[e]!);
    }
    return out;
  }

  /**
   * Whether entry e is the feature given. Words hold no space, so a unigram never equals a
   * bigram, and two bigrams are equal exactly when both their words are.
   */
  private same(e: number, a: string, aStart: number, aEnd: number, b: string | null, bStart: number, bEnd: number): boolean {
    const second = this.secondText[e] ?? null;
    const r = this.ranges;
    if (!sameRange(this.firstText[e]!, r[4 * e]!, r[4 * e + 1]!, a, aStart, aEnd)) return false;
    if (second === null || b === null) return second === b;
    return sameRange(second, r[4 * e + 2]!, r[4 * e + 3]!, b, bStart, bEnd);
  }

  private growEntries(): void {
    this.hi = doubled(this.hi);
    this.lo = doubled(this.lo);
    this.counts = doubled(this.counts);
    this.ranges = doubled(this.ranges);
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.entries; e++) {
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
