import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hamming64 } from '../../src/fingerprint/simhash64.js';
import { SimhashIndex } from '../../src/match/simhashIndex.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const hash = fc.record({ hi: u32, lo: u32 });

/** Flip `bits` distinct bit positions of a hash. */
function flip(h: { hi: number; lo: number }, positions: number[]): { hi: number; lo: number } {
  let { hi, lo } = h;
  for (const p of positions) {
    if (p < 32) hi = (hi ^ (1 << (31 - p))) >>> 0;
    else lo = (lo ^ (1 << (63 - p))) >>> 0;
  }
  return { hi, lo };
}

function bruteForce(entries: { hi: number; lo: number }[], q: { hi: number; lo: number }, k: number) {
  return entries
    .map((e, id) => ({ id, distance: hamming64(q.hi, q.lo, e.hi, e.lo) }))
    .filter((r) => r.distance <= k)
    .sort((a, b) => a.distance - b.distance || a.id - b.id);
}

describe('SimhashIndex', () => {
  it('returns exactly what a brute-force scan returns, for random sets, radii and block counts', () => {
    fc.assert(
      fc.property(
        fc.array(hash, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 12 })), { minLength: 1, maxLength: 20 }),
        (entries, k, extraBlocks, queries) => {
          const index = new SimhashIndex({ maxDistance: k, blocks: Math.min(16, k + extraBlocks) });
          entries.forEach((e, id) => index.add(id, e.hi, e.lo));
          for (const [pick, bits] of queries) {
            const q = flip(entries[pick % entries.length]!, bits);
            expect(index.query(q.hi, q.lo)).toEqual(bruteForce(entries, q, k));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds entries added after a query (the tables are rebuilt)', () => {
    const index = new SimhashIndex({ maxDistance: 3 });
    index.add(1, 0xdeadbeef, 0x01234567);
    expect(index.query(0xdeadbeef, 0x01234567)).toEqual([{ id: 1, distance: 0 }]);
    index.add(2, 0xdeadbeef, 0x01234566);
    expect(index.query(0xdeadbeef, 0x01234567).map((r) => r.id)).toEqual([1, 2]);
  });

  it('refuses impossible parameters', () => {
    expect(() => new SimhashIndex({ maxDistance: -1 })).toThrow(RangeError);
    expect(() => new SimhashIndex({ maxDistance: 4, blocks: 4 })).toThrow(RangeError);
  });
});
