/**
 * 64-bit weighted simhash (Charikar 2002), as used by Manku et al. (2007) for near-duplicate web
 * pages. JavaScript numbers hold 53 bits, so a 64-bit value travels as two unsigned 32-bit halves
 * (`hi`, `lo`); bigint would be simpler but is ~10x slower in the per-feature loop.
 *
 * Feature hashing is MurmurHash3 x86_32 over the feature's UTF-8 bytes, run with two fixed seeds
 * for the two halves. Fixed seeds make fingerprints stable across processes and versions (they
 * are stored in reference sets); changing them requires a FINGERPRINT_SCHEMA bump.
 */

import { isAscii } from '../text/ascii.js';

export interface Hash64 {
  hi: number;
  lo: number;
}

const SEED_HI = 0x9747b28c;
const SEED_LO = 0x5bd1e995;

/** MurmurHash3 x86_32 of a string's UTF-8 encoding. */
export function murmur3String(s: string, seed: number): number {
  murmur3Pair(utf8ByteString(s), seed, seed, PAIR);
  return PAIR[0]!;
}

/**
 * Most features are ASCII, whose char codes are their UTF-8 bytes; other text is re-spelt as one
 * char per UTF-8 byte (latin1), so one implementation serves both without a per-byte call.
 */
export function utf8ByteString(s: string): string {
  return isAscii(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** MurmurHash3's final avalanche. */
function fmix(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const PAIR = new Uint32Array(2);

/**
 * MurmurHash3 x86_32 of a string whose char codes are bytes (0..255), with two seeds at once,
 * into out[0] and out[1]: the block mixing is shared. Every feature is hashed with SEED_HI and
 * SEED_LO for the two halves of the simhash; the one-seed hash is the same function with one
 * seed twice, which simhash64.test.ts pins to the published vectors. It is the stream below fed
 * the whole string at once, so the one-piece and the piecewise hash are one implementation.
 */
function murmur3Pair(s: string, seed1: number, seed2: number, out: Uint32Array): void {
  ONE_SHOT.reset(seed1, seed2);
  ONE_SHOT.feed(s, 0, s.length);
  ONE_SHOT.finish(out);
}

/** MurmurHash3's block scramble, before a block is mixed into a state. */
function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

/** A scrambled block mixed into one state. */
function mix(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The 64-bit feature hash. */
export function featureHash64(feature: string): Hash64 {
  murmur3Pair(utf8ByteString(feature), SEED_HI, SEED_LO, PAIR);
  return { hi: PAIR[0]!, lo: PAIR[1]! };
}

/**
 * MurmurHash3 x86_32 with the two seeds, fed in pieces: the hash of a concatenation without
 * making it. A tag path `a>b>c>d` is its parent path's state fed `>d`, a bigram its first word's
 * state fed ` second`, so each feature costs the characters it adds, not its whole length.
 * `feed` takes strings whose char codes are bytes (ASCII, or `utf8ByteString`); the result is
 * murmur3 of the bytes fed, in order (simhash64.test.ts checks it against the one-piece hash).
 */
export class MurmurPairStream {
  h1 = SEED_HI;
  h2 = SEED_LO;
  /** the bytes of an unfinished 4-byte block, low byte first */
  k = 0;
  length = 0;

  reset(seed1 = SEED_HI, seed2 = SEED_LO): void {
    this.h1 = seed1 >>> 0;
    this.h2 = seed2 >>> 0;
    this.k = 0;
    this.length = 0;
  }

  copyFrom(o: MurmurPairStream): void {
    this.h1 = o.h1;
    this.h2 = o.h2;
    this.k = o.k;
    this.length = o.length;
  }

  /** Feeds `s[start..end)`. */
  feed(s: string, start: number, end: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    let k = this.k;
    let length = this.length;
    let i = start;
    // finish a block the last piece left open
    while ((length & 3) !== 0 && i < end) {
      k |= s.charCodeAt(i++) << (8 * (length & 3));
      if ((++length & 3) === 0) {
        k = scramble(k);
        h1 = mix(h1, k);
        h2 = mix(h2, k);
        k = 0;
      }
    }
    for (; i + 4 <= end; i += 4) {
      k = scramble(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24));
      h1 = mix(h1, k);
      h2 = mix(h2, k);
      length += 4;
      k = 0;
    }
    for (; i < end; i++) k |= s.charCodeAt(i) << (8 * (length++ & 3));
    this.h1 = h1;
    this.h2 = h2;
    this.k = k;
    this.length = length;
  }

  /** Feeds one byte. */
  feedByte(c: number): void {
    this.k |= c << (8 * (this.length & 3));
    if ((++this.length & 3) === 0) {
      const k = scramble(this.k);
      this.h1 = mix(this.h1, k);
      this.h2 = mix(this.h2, k);
      this.k = 0;
    }
  }

  /** The 64-bit feature hash of what was fed (`featureHash64` of it), as the two halves into out[0], out[1]. */
  finish(out: Uint32Array): void {
    let h1 = this.h1;
    let h2 = this.h2;
    if ((this.length & 3) !== 0) {
      const k = scramble(this.k);
      h1 ^= k;
      h2 ^= k;
    }
    out[0] = fmix(h1, this.length);
    out[1] = fmix(h2, this.length);
  }
}

/** the stream behind the one-piece hash (not re-entrant; nothing re-enters it) */
const ONE_SHOT = new MurmurPairStream();

/**
 * The byte `x` spread into eight 6-bit lanes of one float64, the byte's top bit in the lowest
 * lane: adding `w * SPREAD[x]` adds w to the lanes of x's set bits, eight counters in one add.
 */
const LANE = 64;
const SPREAD = Float64Array.from({ length: 256 }, (_, x) => {
  let s = 0;
  for (let l = 0; l < 8; l++) if ((x >>> (7 - l)) & 1) s += LANE ** l;
  return s;
});

/** where the in-order sums of the fractional weights begin in `SimhashAccumulator.bitSums` */
const FRACTIONAL = 64;

/**
 * Accumulates weighted features; `digest()` gives the simhash. Features are expected distinct
 * (callers merge repeats into one weight), which is what makes the hash a weighted-set sketch.
 *
 * The simhash is defined by the float sums `v[b] += bit ? w : -w` over the features in order
 * (`referenceDigest`). Summed that way, each feature costs 64 float additions, the most of the
 * accumulation. Most weights are whole numbers (1 + log2(count), and most counts are 1 or a
 * power of two), and sums of whole numbers are exact in any order and grouping; so whole-number
 * weights are added eight bit-counters per float (`SPREAD`, lanes emptied before they can
 * overflow), and only the other weights take the per-bit float loop. A sign can then differ from
 * the in-order sum only where rounding could reach it: each sum's rounding error is below
 * n * 2^-52 * (sum of weights) (recursive summation, Higham 2002, 4.2), so when any |sum| is
 * within twice that of zero, the digest is the in-order sum of the kept hashes after all. The
 * digest is bit-identical to the in-order sum on every input.
 */
export class SimhashAccumulator {
  /** the features in order, for the in-order sum; kept only if asked (see `simhashOf`) */
  private hi: number[] = [];
  private lo: number[] = [];
  private weights: number[] = [];
  private count = 0;
  /** eight bytes' lanes, and how much any lane may have gathered since they were emptied */
  private readonly packed = new Float64Array(8);
  private laneLoad = 0;
  /**
   * Per bit (0..63): the whole-number weights of features with that bit set (exact); then per
   * bit (64..127): the in-order float sum of the other features. One array, not two: a
   * Float64Array of 128 took 1.0 µs to make here, and a page makes three accumulators.
   */
  private readonly bitSums = new Float64Array(128);
  private wholeWeight = 0;
  private fractionalWeight = 0;
  private fractionalCount = 0;

  /** `keepFeatures`: false for an accumulator whose features can be fed again (`simhashOf`) */
  constructor(private readonly keepFeatures = true) {}

  add(feature: string, weight = 1): void {
    // both halves in one read of the feature's bytes (same values as two murmur3String calls)
    murmur3Pair(utf8ByteString(feature), SEED_HI, SEED_LO, PAIR);
    this.addHash(PAIR[0]!, PAIR[1]!, weight);
  }

  /** Adds a feature by its 64-bit hash (`featureHash64`, or a `MurmurPairStream`'s). */
  addHash(hi: number, lo: number, weight: number): void {
    if (!(weight > 0)) return;
    this.count++;
    if (this.keepFeatures) {
      this.hi.push(hi);
      this.lo.push(lo);
      this.weights.push(weight);
    }
    if (weight < LANE && Number.isInteger(weight)) {
      if (this.laneLoad + weight >= LANE) this.emptyLanes();
      this.laneLoad += weight;
      this.wholeWeight += weight;
      const p = this.packed;
      p[0] = p[0]! + weight * SPREAD[hi >>> 24]!;
      p[1] = p[1]! + weight * SPREAD[(hi >>> 16) & 255]!;
      p[2] = p[2]! + weight * SPREAD[(hi >>> 8) & 255]!;
      p[3] = p[3]! + weight * SPREAD[hi & 255]!;
      p[4] = p[4]! + weight * SPREAD[lo >>> 24]!;
      p[5] = p[5]! + weight * SPREAD[(lo >>> 16) & 255]!;
      p[6] = p[6]! + weight * SPREAD[(lo >>> 8) & 255]!;
      p[7] = p[7]! + weight * SPREAD[lo & 255]!;
      return;
    }
    this.fractionalWeight += weight;
    this.fractionalCount++;
    addInOrder(this.bitSums, FRACTIONAL, hi, lo, weight);
  }

  get size(): number {
    return this.count;
  }

  digest(): Hash64 {
    const decided = this.decidedDigest();
    if (decided !== null) return decided;
    if (!this.keepFeatures) throw new Error('this simhash needs the in-order sum, and the features were not kept: use simhashOf');
    return referenceDigest(this.hi, this.lo, this.weights);
  }

  /** The digest where the exact sums decide every bit (nearly always), else null: the in-order sum is needed. */
  decidedDigest(): Hash64 | null {
    this.emptyLanes();
    const n = this.count;
    const bound = 2 * (n + 1) * 2 ** -52 * (this.wholeWeight + this.fractionalWeight);
    const v = this.bitSums;
    let hi = 0;
    let lo = 0;
    for (let b = 0; b < 64; b++) {
      const s = 2 * v[b]! - this.wholeWeight + v[FRACTIONAL + b]!;
      // whole numbers only: s is exact, and so is the in-order sum
      if (this.fractionalCount > 0 && Math.abs(s) <= bound) return null;
      // the sign bits as `signs` sets them
      if (s > 0) {
        if (b < 32) hi |= 1 << (31 - b);
        else lo |= 1 << (63 - b);
      }
    }
    return { hi: hi >>> 0, lo: lo >>> 0 };
  }

  private emptyLanes(): void {
    const p = this.packed;
    const ones = this.bitSums;
    for (let j = 0; j < 8; j++) {
      let x = p[j]!;
      if (x === 0) continue;
      for (let l = 0; l < 8; l++) {
        const rest = Math.floor(x / LANE);
        ones[8 * j + l] = ones[8 * j + l]! + (x - rest * LANE);
        x = rest;
      }
      p[j] = 0;
    }
    this.laneLoad = 0;
  }
}

/** v[at + b] += bit b ? w : -w, the simhash's defining sum, for one feature. */
function addInOrder(v: Float64Array, at: number, hi: number, lo: number, weight: number): void {
  // branch-free: hash bits are random, so `bit ? w : -w` mispredicts half the time (about 4x
  // slower here). bit * 2w - w is exactly +w or -w (2w is exact, and 2w - w = w by Sterbenz),
  // so the sums are bit-identical to the branching form.
  const twice = 2 * weight;
  for (let b = 0; b < 32; b++) {
    v[at + b] = v[at + b]! + (((hi >>> (31 - b)) & 1) * twice - weight);
    v[at + b + 32] = v[at + b + 32]! + (((lo >>> (31 - b)) & 1) * twice - weight);
  }
}

function signs(v: Float64Array): Hash64 {
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (v[b]! > 0) hi |= 1 << (31 - b);
    if (v[b + 32]! > 0) lo |= 1 << (31 - b);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** The simhash by its definition: the 64 sums in feature order (the specification of `SimhashAccumulator`). */
export function referenceDigest(hi: ArrayLike<number>, lo: ArrayLike<number>, weights: ArrayLike<number>): Hash64 {
  const v = new Float64Array(64);
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) addInOrder(v, 0, hi[i]!, lo[i]!, weights[i]!);
  return signs(v);
}

/**
 * The simhash of the features `feed` adds, the same as one kept accumulator's `digest()`. The
 * features are not kept as they are added (three array pushes each, for a fallback that nearly
 * never comes); where the exact sums cannot decide a bit, `feed` is run again into an accumulator
 * that keeps them. `feed` must add the same features in the same order each time.
 */
export function simhashOf(feed: (acc: SimhashAccumulator) => void): Hash64 {
  const fast = new SimhashAccumulator(false);
  feed(fast);
  const decided = fast.decidedDigest();
  if (decided !== null) return decided;
  const kept = new SimhashAccumulator(true);
  feed(kept);
  return kept.digest();
}

/** Simhash of a weighted feature map in one call. */
export function simhash64(features: Iterable<[string, number]>): Hash64 {
  const acc = new SimhashAccumulator();
  for (const [f, w] of features) acc.add(f, w);
  return acc.digest();
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hamming64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return popcount32((aHi ^ bHi) >>> 0) + popcount32((aLo ^ bLo) >>> 0);
}

export function hashToHex(h: Hash64): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

export function parseSimhashHex(hex: string): Hash64 {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new TypeError(`not a 64-bit hex simhash: ${hex}`);
  return { hi: Number.parseInt(hex.slice(0, 8), 16) >>> 0, lo: Number.parseInt(hex.slice(8), 16) >>> 0 };
}

export function hammingHex(a: string, b: string): number {
  const x = parseSimhashHex(a);
  const y = parseSimhashHex(b);
  return hamming64(x.hi, x.lo, y.hi, y.lo);
}
