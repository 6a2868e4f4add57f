/**
 * The raw-text scan's character loop runs in WebAssembly; the TypeScript loop is its
 * specification. Both must give the same candidates and runs on any text, for any run range,
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

  it('finds in WebAssembly what the TypeScript loop finds, on generated texts and run ranges', () => {
    const wasm = new WasmWalker(TRIPLES, CAPS);
    for (const t of ['', 'u', 'ua', 'ua-', 'UA-x', 'a'.repeat(14), 'a'.repeat(95), 'a'.repeat(96)]) for (const [lo, hi] of RANGES) same(wasm, t, lo, hi, CAPS);
    for (let seed = 1; seed <= 400; seed++) {
      const text = textOf(seed, 1 + (seed % 40));
      const [lo, hi] = RANGES[seed % RANGES.length]!;
      same(wasm, text, lo, hi, CAPS);
      same(wasm, text, 14, 95, CAPS);
    }
  });

  it('stops at the same caps', () => {
    const caps = { maxCandidates: 5, maxRuns: 3 };
    const wasm = new WasmWalker(TRIPLES, caps);
    for (let seed = 1; seed <= 100; seed++) same(wasm, textOf(seed, 60), 3, 50, caps);
    same(wasm, 'dat '.repeat(100), 3, 50, caps);
    same(wasm, 'abcdef '.repeat(100), 3, 50, caps);
  });

  it('reuses and grows its memory without reading an earlier text', () => {
    const wasm = new WasmWalker(TRIPLES, CAPS);
    const long = textOf(7, 40_000); // longer than the memory it starts with
    same(wasm, long, 14, 95, CAPS);
    same(wasm, 'dat', 14, 95, CAPS);
    same(wasm, '', 0, 0, CAPS);
    same(wasm, long.slice(0, 5000), 14, 95, CAPS);
  });
});
