/**
 * The raw-text scan's character loop runs in WebAssembly, sixteen characters a step where SIMD
 * runs and one at a time where it does not; the TypeScript loop is the specification. All must
 * give the same candidates and runs on any text, for any run range,
 * with the caps reached or not, and across walks that reuse (and grow) the WebAssembly memory.
 */
import { describe, expect, it } from 'vitest';
import { createWalker, jsWalk, WasmWalker, type WalkCaps } from '../../src/fingerprint/textWalk.js';
import { seededRandom } from '../fixtures/ctWorkload.js';

/** A bitmap of character triples (7 bits each), as RawTextScanner builds one from its anchors. */
function bitmapOf(triples: string[]): Uint8Array {
  const bits = new Uint8Array((1 << 21) / 8);
  for (const t of triples) {
    const v = (t.charCodeAt(0) << 14) | (t.charCodeAt(1) << 7) | t.charCodeAt(2);
    bits[v >>> 3]! |= 1 << (v & 7);
  }
  return bits;
}

const TRIPLES = bitmapOf(['ua-', 'dat', 'cf_', 'mag', 'gtm', '/cd', 'a1b', '999']);

/** Pieces that hit triples in either case, make runs of lengths around the edges, or are not ASCII. */
const PIECES = [
  'UA-', 'ua-', 'DaT', 'data-', 'cf_', 'CF_', 'magnet', 'GTM-', '/cdn', 'a1b', '9999', ' ', '"', '<', '>', '=', '-', '/', '\n', 'x', 'Q', '7',
  'a'.repeat(13), 'B'.repeat(14), 'c9'.repeat(8), 'd'.repeat(95), 'E'.repeat(96), '1'.repeat(200),
  'ü', 'İ', '\u212a', '\u017f', '\u0000', '\ud800', '\udfff', '\ud83d\ude00', 'ａ', '\u00e9t\u00e9',
];

function textOf(seed: number, parts: number): string {
  const next = seededRandom(seed);
  let s = '';
  for (let i = 0; i < parts; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

const CAPS: WalkCaps = { maxCandidates: 1_000_000, maxRuns: 100_000 };
const RANGES: Array<[number, number]> = [
  [14, 95],
  [Infinity, 0],
  [0, 0],
  [1, Infinity],
  [3, 5],
  [2.5, 7.5],
  [-1, -1],
  [20, 10],
  [Number.NaN, 5],
];

function same(wasm: WasmWalker, text: string, minRun: number, maxRun: number, caps: WalkCaps): void {
  const want = jsWalk(text, TRIPLES, minRun, maxRun, caps);
  const got = wasm.walk(text, minRun, maxRun);
  const label = `${JSON.stringify(text.slice(0, 60))} (${text.length}) runs ${minRun}..${maxRun}`;
  expect(got.candidateCount, label).toBe(want.candidateCount);
  expect(Array.from(got.candidates).slice(0, got.candidateCount), label).toEqual(want.candidates);
  expect(got.runs, label).toEqual(want.runs);
}

describe('the raw-text walk', () => {
  it('is the WebAssembly loop where WebAssembly runs', () => {
    expect(createWalker(TRIPLES, CAPS)).toBeInstanceOf(WasmWalker);
  });

  it('runs sixteen characters a step where WebAssembly SIMD runs (Node 20 has it)', () => {
    expect(new WasmWalker(TRIPLES, CAPS).vector).toBe(true);
    expect(new WasmWalker(TRIPLES, CAPS, false).vector).toBe(false);
  });

  it('finds in WebAssembly what the TypeScript loop finds, on generated texts and run ranges', () => {
    for (const wasm of [new WasmWalker(TRIPLES, CAPS), new WasmWalker(TRIPLES, CAPS, false)]) {
      for (const t of ['', 'u', 'ua', 'ua-', 'UA-x', 'a'.repeat(14), 'a'.repeat(95), 'a'.repeat(96)]) for (const [lo, hi] of RANGES) same(wasm, t, lo, hi, CAPS);
      for (let seed = 1; seed <= 400; seed++) {
        const text = textOf(seed, 1 + (seed % 40));
        const [lo, hi] = RANGES[seed % RANGES.length]!;
        same(wasm, text, lo, hi, CAPS);
        same(wasm, text, 14, 95, CAPS);
      }
    }
  });

  it('gives the same answers where triples, runs and the text end meet the sixteen-character blocks', () => {
    const vector = new WasmWalker(TRIPLES, CAPS);
    // every offset of an anchor, a run and the end against a block: lengths 0..50, anchors and runs at each position
    for (let n = 0; n <= 50; n++) {
      for (let at = 0; at + 3 <= n; at += 1) {
        const t = 'x'.repeat(at) + 'dat' + '.'.repeat(n - at - 3);
        for (const [lo, hi] of [[14, 95], [0, 0], [1, Infinity], [3, 5]] as const) same(vector, t, lo, hi, CAPS);
      }
      for (let len = 12; len <= 34 && len <= n; len++) {
        for (const at of [0, 1, 2, 14, 15, 16, 17, 31, 32, n - len]) {
          if (at < 0 || at + len > n) continue;
          const t = '-'.repeat(at) + 'Q9'.repeat(len).slice(0, len) + ' '.repeat(n - at - len);
          for (const [lo, hi] of [[14, 95], [14, 16], [15, 15], [1, 3]] as const) same(vector, t, lo, hi, CAPS);
        }
      }
    }
    // runs and ends packed into one block, and units that narrow to bytes at the edges (0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff)
    const edges = ['\u007f', '\u0080', '\u00ff', '\u0100', '\u7fff', '\u8000', '\uffff', '\u0141', '\u0161'];
    for (let seed = 1; seed <= 300; seed++) {
      let s = (seed * 2654435761) >>> 0;
      let t = '';
      for (let i = 0; i < 40 + (seed % 50); i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const r = (s >>> 8) % 10;
        t += r < 4 ? 'ab1'[r % 3]! : r < 6 ? ' ' : r < 8 ? edges[(s >>> 16) % edges.length]! : ['DaT', 'ua-', 'cF_'][(s >>> 20) % 3]!;
      }
      for (const [lo, hi] of RANGES) same(vector, t, lo, hi, CAPS);
      same(vector, t, 2, 4, CAPS);
    }
  });

  it('stops at the same caps', () => {
    const caps = { maxCandidates: 5, maxRuns: 3 };
    for (const wasm of [new WasmWalker(TRIPLES, caps), new WasmWalker(TRIPLES, caps, false)]) {
      for (let seed = 1; seed <= 100; seed++) same(wasm, textOf(seed, 60), 3, 50, caps);
      same(wasm, 'dat '.repeat(100), 3, 50, caps);
      same(wasm, 'abcdef '.repeat(100), 3, 50, caps);
    }
  });

  it('reuses and grows its memory without reading an earlier text', () => {
    for (const wasm of [new WasmWalker(TRIPLES, CAPS), new WasmWalker(TRIPLES, CAPS, false)]) {
      const long = textOf(7, 40_000); // longer than the memory it starts with
      same(wasm, long, 14, 95, CAPS);
      same(wasm, 'dat', 14, 95, CAPS);
      // the earlier text's characters just past a shorter one's end are not read as its own
      same(wasm, 'aaaaaaaaaaaaaaaaaaaa', 14, 95, CAPS);
      same(wasm, 'aaaaaaaaaaaaa', 14, 95, CAPS);
      same(wasm, 'da', 14, 95, CAPS);
      same(wasm, '', 0, 0, CAPS);
      same(wasm, long.slice(0, 5000), 14, 95, CAPS);
    }
  });
});
