import { hamming64 } from '../fingerprint/simhash64.js';

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
  keys: Uint32Array;
  /** entry positions, in key order */
  order: Uint32Array;
}

const INITIAL_CAPACITY = 1024;

export class SimhashIndex {
  readonly maxDistance: number;
  readonly blocks: number;
  private readonly blockStart: number[] = [];
  private readonly blockWidth: number[] = [];
  private readonly combinations: number[][];
  private hi = new Uint32Array(INITIAL_CAPACITY);
  private lo = new Uint32Array(INITIAL_CAPACITY);
  private ids = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private tables: Table[] | null = null;
  /** per-entry stamp of the last query that saw it, to drop duplicates found via several tables */
  private seen = new Uint32Array(INITIAL_CAPACITY);
  private queryStamp = 0;

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
    const stamp = this.nextStamp();
    const out: SimhashNeighbour[] = [];
    for (const table of tables) {
      const key = this.keyOf(hi, lo, table.blocks);
      let i = lowerBound(table.keys, key);
      for (; i < table.keys.length && table.keys[i] === key; i++) {
        const pos = table.order[i]!;
        if (this.seen[pos] === stamp) continue;
        this.seen[pos] = stamp;
        const d = hamming64(hi, lo, this.hi[pos]!, this.lo[pos]!);
        if (d <= this.maxDistance) out.push({ id: this.ids[pos]!, distance: d });
      }
    }
    out.sort((a, b) => a.distance - b.distance || a.id - b.id);
    return out;
  }

  /** Bytes held by the index's typed arrays (the measure the benchmark reports next to heap). */
  get byteSize(): number {
    let n = this.hi.byteLength + this.lo.byteLength + this.ids.byteLength + this.seen.byteLength;
    for (const t of this.tables ?? []) n += t.keys.byteLength + t.order.byteLength;
    return n;
  }

  private nextStamp(): number {
    this.queryStamp = (this.queryStamp + 1) >>> 0;
    if (this.queryStamp === 0) {
      this.seen.fill(0);
      this.queryStamp = 1;
    }
    return this.queryStamp;
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
    if (this.seen.length < n) this.seen = new Uint32Array(this.hi.length);
    const tables: Table[] = [];
    for (const blocks of this.combinations) {
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = this.keyOf(this.hi[i]!, this.lo[i]!, blocks);
      const order = radixSortOrder(keys);
      const sortedKeys = new Uint32Array(n);
      for (let i = 0; i < n; i++) sortedKeys[i] = keys[order[i]!]!;
      tables.push({ blocks, keys: sortedKeys, order });
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

function lowerBound(sorted: Uint32Array, key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
