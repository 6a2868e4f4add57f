import { popcount32 } from '../fingerprint/simhash64.js';

/**
 * Near-neighbour index over 64-bit simhashes within Hamming distance `maxDistance`, after
 * Manku, Jain & Das Sarma (WWW 2007): split the 64 bits into `blocks` blocks; two hashes within
 * distance k differ in at most k blocks, so they agree exactly on at least `blocks - k` of them.
 * One sorted table per combination of `blocks - k` blocks finds every candidate by binary search;
 * candidates are then verified by their true distance. No lookup ever scans the whole set.
 *
 * More blocks give longer keys (fewer false candidates, faster lookups) at the cost of more tables
 * (C(blocks, k) of them, 8 bytes per entry each). The default, `maxDistance + 1` blocks, is the
 * smallest (one table per block).
 */
export interface SimhashIndexOptions {
  /** largest Hamming distance a query returns */
  maxDistance: number;
  /** number of blocks the 64 bits are split into; default maxDistance + 1 (range maxDistance+1 .. 16) */
  blocks?: number;
}

export interface SimhashNeighbour {
  id: number;
  distance: number;
}

interface Table {
  /** the block numbers (0 = most significant) whose bits make this table's key */
  blocks: number[];
  /** bits in this table's key (<= 32 after folding) */
  keyBits: number;
  /** entries in key order, four words each: key, hi, lo, position; contiguous, so a bucket is one cache-friendly run */
  entries: Uint32Array;
  /** directory on the key's top `dirBits` bits: bucket b is entries[dir[b] .. dir[b+1]) */
  dir: Uint32Array;
  dirBits: number;
}

const INITIAL_CAPACITY = 1024;
const DIRECTORY_BITS = 16;

export class SimhashIndex {
  readonly maxDistance: number;
  readonly blocks: number;
  private readonly blockStart: number[] = [];
  private readonly blockWidth: number[] = [];
  private readonly blockMaskHi: number[] = [];
  private readonly blockMaskLo: number[] = [];
  private readonly combinations: number[][];
  private hi = new Uint32Array(INITIAL_CAPACITY);
  private lo = new Uint32Array(INITIAL_CAPACITY);
  private ids = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private tables: Table[] | null = null;

  constructor(options: SimhashIndexOptions) {
    const k = options.maxDistance;
    if (!Number.isInteger(k) || k < 0 || k > 15) throw new RangeError(`maxDistance must be an integer 0..15, got ${k}`);
    const blocks = options.blocks ?? k + 1;
    if (!Number.isInteger(blocks) || blocks <= k || blocks > 16) throw new RangeError(`blocks must be an integer ${k + 1}..16, got ${blocks}`);
    this.maxDistance = k;
    this.blocks = blocks;
    let start = 0;
    for (let b = 0; b < blocks; b++) {
      // spread 64 bits as evenly as possible: the first (64 % blocks) blocks get one bit more
      const width = Math.floor(64 / blocks) + (b < 64 % blocks ? 1 : 0);
      this.blockStart.push(start);
      this.blockWidth.push(width);
      const m = maskOf(start, width);
      this.blockMaskHi.push(m.hi);
      this.blockMaskLo.push(m.lo);
      start += width;
    }
    this.combinations = combinations(blocks, blocks - k);
  }

  get size(): number {
    return this.count;
  }

  add(id: number, hi: number, lo: number): void {
    if (this.count === this.hi.length) this.grow();
    this.hi[this.count] = hi >>> 0;
    this.lo[this.count] = lo >>> 0;
    this.ids[this.count] = id;
    this.count++;
    this.tables = null; // rebuilt lazily: bulk loads pay for one sort, not one per add
  }

  /** Every stored entry within maxDistance of (hi, lo), nearest first. */
  query(hi: number, lo: number): SimhashNeighbour[] {
    const tables = this.tables ?? this.build();
    hi >>>= 0;
    lo >>>= 0;
    const out: SimhashNeighbour[] = [];
    for (let t = 0; t < tables.length; t++) {
      const table = tables[t]!;
      const key = this.keyOf(hi, lo, table.blocks);
      const bucket = table.keyBits > table.dirBits ? key >>> (table.keyBits - table.dirBits) : key;
      const entries = table.entries;
      const end = table.dir[bucket + 1]! * 4;
      for (let i = table.dir[bucket]! * 4; i < end; i += 4) {
        if (entries[i] !== key) continue;
        const eHi = entries[i + 1]!;
        const eLo = entries[i + 2]!;
        const d = popcount32((hi ^ eHi) >>> 0) + popcount32((lo ^ eLo) >>> 0);
        if (d > this.maxDistance) continue;
        // report each entry once: from the first table whose blocks all agree (no per-query bookkeeping);
        // the check on table t itself matters only when a folded key collided
        const xHi = (hi ^ eHi) >>> 0;
        const xLo = (lo ^ eLo) >>> 0;
        if (!this.agreesOn(t, xHi, xLo)) continue;
        let earlier = false;
        for (let u = 0; u < t && !earlier; u++) earlier = this.agreesOn(u, xHi, xLo);
        if (earlier) continue;
        out.push({ id: this.ids[entries[i + 3]!]!, distance: d });
      }
    }
    if (out.length > 1) out.sort((a, b) => a.distance - b.distance || a.id - b.id);
    return out;
  }

  /** Bytes held by the index's typed arrays (the measure the benchmark reports next to heap). */
  get byteSize(): number {
    let n = this.hi.byteLength + this.lo.byteLength + this.ids.byteLength;
    for (const t of this.tables ?? []) n += t.entries.byteLength + t.dir.byteLength;
    return n;
  }

  /** Whether two hashes whose XOR is (xHi, xLo) agree on every block of table t. */
  private agreesOn(t: number, xHi: number, xLo: number): boolean {
    for (const b of this.combinations[t]!) {
      if ((xHi & this.blockMaskHi[b]!) !== 0 || (xLo & this.blockMaskLo[b]!) !== 0) return false;
    }
    return true;
  }

  private grow(): void {
    const cap = this.hi.length * 2;
    const hi = new Uint32Array(cap);
    hi.set(this.hi);
    const lo = new Uint32Array(cap);
    lo.set(this.lo);
    const ids = new Float64Array(cap);
    ids.set(this.ids);
    this.hi = hi;
    this.lo = lo;
    this.ids = ids;
  }

  private build(): Table[] {
    const n = this.count;
    const tables: Table[] = [];
    for (const blocks of this.combinations) {
      const keyBits = Math.min(32, blocks.reduce((sum, b) => sum + this.blockWidth[b]!, 0));
      const dirBits = Math.min(DIRECTORY_BITS, keyBits);
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = this.keyOf(this.hi[i]!, this.lo[i]!, blocks);
      const order = radixSortOrder(keys);
      const entries = new Uint32Array(n * 4);
      const dir = new Uint32Array((1 << dirBits) + 1);
      for (let j = 0; j < n; j++) {
        const pos = order[j]!;
        const key = keys[pos]!;
        entries[j * 4] = key;
        entries[j * 4 + 1] = this.hi[pos]!;
        entries[j * 4 + 2] = this.lo[pos]!;
        entries[j * 4 + 3] = pos;
        dir[(keyBits > dirBits ? key >>> (keyBits - dirBits) : key) + 1]!++;
      }
      for (let b = 0; b < dir.length - 1; b++) dir[b + 1]! += dir[b]!;
      tables.push({ blocks, keyBits, entries, dir, dirBits });
    }
    this.tables = tables;
    return tables;
  }

  /** The bits of the given blocks, concatenated; folded to 32 bits when longer (verification makes a fold harmless). */
  private keyOf(hi: number, lo: number, blocks: number[]): number {
    let key = 0;
    let bits = 0;
    for (const b of blocks) {
      const width = this.blockWidth[b]!;
      const part = bitsAt(hi, lo, this.blockStart[b]!, width);
      if (bits + width <= 32) {
        key = width === 32 ? part : ((key << width) | part) >>> 0;
      } else {
        key = (((key << 7) | (key >>> 25)) ^ part) >>> 0;
      }
      bits += width;
    }
    return key >>> 0;
  }
}

/** Masks selecting bits [start, start + width) of the 64-bit value (0 = most significant). */
function maskOf(start: number, width: number): { hi: number; lo: number } {
  let hi = 0;
  let lo = 0;
  for (let bit = start; bit < start + width; bit++) {
    if (bit < 32) hi |= 1 << (31 - bit);
    else lo |= 1 << (63 - bit);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** `width` bits of the 64-bit value starting at bit `start` (0 = most significant), width <= 32. */
function bitsAt(hi: number, lo: number, start: number, width: number): number {
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  const end = start + width; // exclusive
  if (end <= 32) return ((hi >>> (32 - end)) & mask) >>> 0;
  if (start >= 32) return ((lo >>> (64 - end)) & mask) >>> 0;
  const loBits = end - 32;
  const fromHi = (hi << loBits) >>> 0;
  const fromLo = loBits === 32 ? lo : lo >>> (32 - loBits);
  return ((fromHi | fromLo) & mask) >>> 0;
}

/** Positions 0..n-1 ordered by key: two stable 16-bit counting passes, O(n), no comparisons. */
function radixSortOrder(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
    for (let i = 0; i < n; i++) {
      const pos = order[i]!;
      next[counts[(keys[pos]! >>> shift) & 0xffff]!++] = pos;
    }
    [order, next] = [next, order];
  }
  return order;
}

function combinations(n: number, r: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === r) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < n; i++) pick(i + 1, [...acc, i]);
  };
  pick(0, []);
  return out;
}
