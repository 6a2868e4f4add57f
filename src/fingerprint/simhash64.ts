/**
 * 64-bit weighted simhash (Charikar 2002), as used by Manku et al. (2007) for near-duplicate web
 * pages. JavaScript numbers hold 53 bits, so a 64-bit value travels as two unsigned 32-bit halves
 * (`hi`, `lo`); bigint would be simpler but is ~10x slower in the per-feature loop.
 *
 * Feature hashing is MurmurHash3 x86_32 over the feature's UTF-8 bytes, run with two fixed seeds
 * for the two halves. Fixed seeds make fingerprints stable across processes and versions (they
 * are stored in reference sets); changing them requires a FINGERPRINT_SCHEMA bump.
 */

export interface Hash64 {
  hi: number;
  lo: number;
}

const SEED_HI = 0x9747b28c;
const SEED_LO = 0x5bd1e995;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** MurmurHash3 x86_32 of a string's UTF-8 encoding. */
export function murmur3String(s: string, seed: number): number {
  murmur3Pair(utf8ByteString(s), seed, seed, PAIR);
  return PAIR[0]!;
}

/**
 * Most features are ASCII, whose char codes are their UTF-8 bytes; other text is re-spelt as one
 * char per UTF-8 byte (latin1), so one implementation serves both without a per-byte call.
 */
function utf8ByteString(s: string): string {
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
 * SEED_LO for the two halves of the simhash (the fingerprint's hottest loop); the one-seed hash
 * is the same function with one seed twice, which simhash64.test.ts pins to the published vectors.
 */
function murmur3Pair(s: string, seed1: number, seed2: number, out: Uint32Array): void {
  let h1 = seed1 >>> 0;
  let h2 = seed2 >>> 0;
  const length = s.length;
  const nblocks = length & ~3;
  let i = 0;
  for (; i < nblocks; i += 4) {
    let k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= s.charCodeAt(i + 2) << 16;
    if (tail >= 2) k ^= s.charCodeAt(i + 1) << 8;
    k ^= s.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h2 ^= k;
  }
  out[0] = fmix(h1, length);
  out[1] = fmix(h2, length);
}


/** The 64-bit feature hash. */
export function featureHash64(feature: string): Hash64 {
  murmur3Pair(utf8ByteString(feature), SEED_HI, SEED_LO, PAIR);
  return { hi: PAIR[0]!, lo: PAIR[1]! };
}

/**
 * Accumulates weighted features; `digest()` gives the simhash. Features are expected distinct
 * (callers merge repeats into one weight), which is what makes the hash a weighted-set sketch.
 */
export class SimhashAccumulator {
  private readonly v = new Float64Array(64);
  private count = 0;

  add(feature: string, weight = 1): void {
    if (!(weight > 0)) return;
    // both halves in one read of the feature's bytes (same values as two murmur3String calls)
    murmur3Pair(utf8ByteString(feature), SEED_HI, SEED_LO, PAIR);
    const hi = PAIR[0]!;
    const lo = PAIR[1]!;
    const v = this.v;
    // branch-free: hash bits are random, so `bit ? w : -w` mispredicts half the time (about 4x
    // slower here). bit * 2w - w is exactly +w or -w (2w is exact, and 2w - w = w by Sterbenz),
    // so the sums are bit-identical to the branching form.
    const twice = 2 * weight;
    for (let b = 0; b < 32; b++) {
      v[b] = v[b]! + (((hi >>> (31 - b)) & 1) * twice - weight);
      v[b + 32] = v[b + 32]! + (((lo >>> (31 - b)) & 1) * twice - weight);
    }
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  digest(): Hash64 {
    let hi = 0;
    let lo = 0;
    for (let b = 0; b < 32; b++) {
      if (this.v[b]! > 0) hi |= 1 << (31 - b);
      if (this.v[b + 32]! > 0) lo |= 1 << (31 - b);
    }
    return { hi: hi >>> 0, lo: lo >>> 0 };
  }
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
