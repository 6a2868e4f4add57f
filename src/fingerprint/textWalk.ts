/**
 * The character loop of the raw-text scan (rawTextScan.ts): every position of a page where a
 * character triple begins some anchor, and every maximal [A-Za-z0-9] run of a length in range.
 * It reads every character of every page, and it was the largest single cost of the fingerprint
 * (without it the fingerprint cost 0.3–0.5 tokenises less). Two implementations, one contract:
 *
 * - `jsWalk`, the loop in TypeScript: the specification, and the fallback where WebAssembly
 *   cannot run (`--jitless`);
 * - `WasmWalker`, the same loop as a WebAssembly function of about 100 instructions, assembled from
 *   named instructions (no binary blob, no toolchain). The page is copied in as UTF-16 (one
 *   `Buffer.write`, memcpy speed) and the loop runs on it at about half the JavaScript loop's
 *   cost per character: JavaScript pays for `charCodeAt` on a string and a bounds check on each
 *   table read, WebAssembly reads its memory directly. Where the engine has WebAssembly SIMD
 *   (Node 20 does), the walker runs `vectorWalkFunction` instead, sixteen characters a step,
 *   which halved the raw-text scan over the corpus (docs/evaluation.md, ninth stop); the
 *   one-character function is kept for engines without SIMD.
 *
 * test/fingerprint/textWalk.test.ts runs all three on the same texts (tag soup, every anchor, runs at
 * the edges, characters outside ASCII, the caps reached) and requires the same answers.
 */

/** What a walk found: candidate positions (valid until the next walk) and runs as start, end pairs. */
export interface WalkResult {
  candidates: ArrayLike<number>;
  candidateCount: number;
  runs: number[];
}

export interface TextWalker {
  walk(text: string, minRun: number, maxRun: number): WalkResult;
}

export interface WalkCaps {
  /** candidate positions kept per page; the rest are not looked at */
  maxCandidates: number;
  /** runs kept per page */
  maxRuns: number;
}

/**
 * Every UTF-16 code unit to its ASCII lower case in the low 7 bits, 0 when it is not ASCII or is
 * NUL (no anchor holds 0, and /i without the u flag maps no other character to an ASCII one),
 * and bit 7 set for the lower-cased [a-z0-9].
 */
export const CHAR_CLASS = Uint8Array.from({ length: 65536 }, (_, c) => {
  const lower = c >= 65 && c <= 90 ? c + 32 : c < 128 ? c : 0;
  const alnum = (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) ? 1 : 0;
  return lower | (alnum << 7);
});

/** The loop in TypeScript (the specification of the WebAssembly one). */
export function jsWalk(text: string, triples: Uint8Array, minRun: number, maxRun: number, caps: WalkCaps): WalkResult {
  const candidates: number[] = [];
  const runs: number[] = [];
  const n = text.length;
  let triple = 0;
  // length of the [a-z0-9] run ending here, kept without a branch: letters and punctuation
  // alternate too irregularly for a branch on "alphanumeric?" to be predicted; "a run of address
  // length has just ended" is rare, so that test is
  let run = 0;
  for (let i = 0; i < n; i++) {
    const k = CHAR_CLASS[text.charCodeAt(i)]!;
    triple = ((triple << 7) | (k & 127)) & 0x1fffff;
    if ((triples[triple >>> 3]! & (1 << (triple & 7))) !== 0 && i >= 2 && candidates.length < caps.maxCandidates) candidates.push(i - 2);
    const alnum = k >>> 7;
    if (run >= minRun && alnum === 0 && run <= maxRun && runs.length < 2 * caps.maxRuns) runs.push(i - run, i);
    run = (run + 1) * alnum;
  }
  if (run >= minRun && run <= maxRun && runs.length < 2 * caps.maxRuns) runs.push(n - run, n);
  return { candidates, candidateCount: candidates.length, runs };
}

// ---- the WebAssembly walker -------------------------------------------------------------------

const PAGE = 65536;
/** memory layout, in bytes: the class table, the run count, the triple bitmap, candidates, runs, then the text */
const CLASS_AT = 0;
const RUN_COUNT_AT = PAGE;
/** the vector walk's six nibble tables (16 bytes each), after the run count */
const SHUFTI_AT = PAGE + 16;
/** zero characters written after the text: the vector walk reads a block and a half past its end */
const PAD_CHARS = 64;
const TRIPLES_AT = 2 * PAGE;
const TRIPLES_BYTES = (1 << 21) / 8;
const CANDIDATES_AT = TRIPLES_AT + TRIPLES_BYTES;
/** a run length no run reaches (texts are far shorter than 2^31 characters) */
const U32_NEVER = 0x7fffffff;
/** longest text walked in WebAssembly memory (256 MiB of UTF-16); a longer one takes the JavaScript loop */
const MAX_WASM_TEXT = 128 * 1024 * 1024;

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};

// the instructions used, by their names in the WebAssembly text format
const get = (local: number): number[] => [0x20, local];
const set = (local: number): number[] => [0x21, local];
const tee = (local: number): number[] => [0x22, local];
const i32 = (v: number): number[] => [0x41, ...sleb(v)];
const load8u = (offset: number): number[] => [0x2d, 0, ...uleb(offset)];
const load16u = (offset: number): number[] => [0x2f, 1, ...uleb(offset)];
const store = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const AND = 0x71;
const OR = 0x72;
const SHL = 0x74;
const SHR_U = 0x76;
const GE_U = 0x4f;
const LT_U = 0x49;
const LE_U = 0x4d;
const EQZ = 0x45;
const SELECT = 0x1b;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = 0x0b;
const BR = (depth: number): number[] => [0x0c, depth];
const BR_IF = (depth: number): number[] => [0x0d, depth];
const XOR = 0x73;
const CLZ = 0x67;
const CTZ = 0x68;
const POPCNT = 0x69;
// the vector instructions used (the 0xfd prefix, then the instruction's number)
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const v128Load = (offset: number): number[] => [...simd(0x00), 0, ...uleb(offset)];
const v128Const = (bytes: ArrayLike<number>): number[] => [...simd(0x0c), ...Array.from(bytes)];
const splat8 = (v: number): number[] => v128Const(new Array<number>(16).fill(v & 0xff));
const SHUFFLE_FROM = (from: number): number[] => [...simd(0x0d), ...Array.from({ length: 16 }, (_, k) => from + k)];
const SWIZZLE = simd(0x0e);
const I8_NE = simd(0x24);
const I8_LT_U = simd(0x26);
const V_AND = simd(0x4e);
const V_OR = simd(0x50);
const I8_BITMASK = simd(0x64);
const I8_NARROW_U = simd(0x66);
const I8_SHR_U = simd(0x6d);
const I8_ADD = simd(0x6e);
const I8_SUB = simd(0x71);
const V128 = 0x7b;
const I32 = 0x7f;

// locals: the five parameters, then the loop's state
const N = 0;
const MIN_RUN = 1;
const MAX_RUN = 2;
const MAX_CANDIDATES = 3;
const MAX_RUN_WORDS = 4; // 2 x maxRuns: runs are stored as pairs
const I = 5;
const K = 6;
const C = 7;
const C1 = 8; // the character before, shifted 7 left
const C2 = 9; // the one before that, shifted 14 left
const TRIPLE = 10;
const START = 11; // where the [a-z0-9] run ending before i began
const LEN = 12;
const NC = 13;
const NR = 14;
const LOCALS = 10;

/**
 * `walk(n, minRun, maxRun, maxCandidates, 2 * maxRuns) -> candidates found`, the text's n
 * UTF-16 units at `textAt`; runs (start, end pairs) at `runsAt`, their count at RUN_COUNT_AT.
 * The loop of jsWalk with its two running values kept so that no iteration waits on the last
 * one's arithmetic: the triple is put together from the last three characters (not shifted
 * along), and the run is kept as where it started (one select per character, not an add and a
 * multiply), so `run` in jsWalk is `i - start` here.
 */
function walkFunction(textAt: number, runsAt: number): number[] {
  // runs[nr] = start; runs[nr + 1] = end; nr += 2
  const pushRun = (end: number[]): number[] => [
    ...get(NR), ...i32(2), SHL, ...get(START), ...store(runsAt),
    ...get(NR), ...i32(2), SHL, ...end, ...store(runsAt + 4),
    ...get(NR), ...i32(2), ADD, ...set(NR),
  ];
  // prettier-ignore
  const body = [
    ...BLOCK, ...get(N), EQZ, ...BR_IF(0), // nothing to read
    ...LOOP,
    // k = CLASS[text[i]]; c = k & 127
    ...get(I), ...i32(1), SHL, ...load16u(textAt), ...load8u(CLASS_AT), ...tee(K), ...i32(127), AND, ...set(C),
    // triple = c2 | c1 | c: if (triples[triple >>> 3] >>> (triple & 7) & 1)
    ...get(C2), ...get(C1), OR, ...get(C), OR, ...tee(TRIPLE),
    ...i32(3), SHR_U, ...load8u(TRIPLES_AT), ...get(TRIPLE), ...i32(7), AND, SHR_U, ...i32(1), AND,
    ...IF,
    //   if (i >= 2 && nc < maxCandidates) candidates[nc++] = i - 2
    ...get(I), ...i32(2), GE_U, ...get(NC), ...get(MAX_CANDIDATES), LT_U, AND,
    ...IF,
    ...get(NC), ...i32(2), SHL, ...get(I), ...i32(2), SUB, ...store(CANDIDATES_AT),
    ...get(NC), ...i32(1), ADD, ...set(NC),
    END,
    END,
    // c2 = c1 << 7; c1 = c << 7
    ...get(C1), ...i32(7), SHL, ...set(C2),
    ...get(C), ...i32(7), SHL, ...set(C1),
    // if (i - start >= minRun && k is not [a-z0-9] && i - start <= maxRun && nr < 2 * maxRuns) push (start, i)
    ...get(I), ...get(START), SUB, ...tee(LEN), ...get(MIN_RUN), GE_U,
    ...IF,
    ...get(K), ...i32(128), AND, EQZ, ...get(LEN), ...get(MAX_RUN), LE_U, AND, ...get(NR), ...get(MAX_RUN_WORDS), LT_U, AND,
    ...IF, ...pushRun(get(I)), END,
    END,
    // start = k is [a-z0-9] ? start : i + 1
    ...get(START), ...get(I), ...i32(1), ADD, ...get(K), ...i32(128), AND, SELECT, ...set(START),
    // while (++i < n)
    ...get(I), ...i32(1), ADD, ...tee(I), ...get(N), LT_U, ...BR_IF(0),
    END,
    END,
    // a run that ends the text
    ...get(N), ...get(START), SUB, ...tee(LEN), ...get(MIN_RUN), GE_U, ...get(LEN), ...get(MAX_RUN), LE_U, AND, ...get(NR), ...get(MAX_RUN_WORDS), LT_U, AND,
    ...IF, ...pushRun(get(N)), END,
    ...i32(0), ...get(NR), ...store(RUN_COUNT_AT),
    ...get(NC),
    END,
  ];
  // one group of i32 locals after the parameters
  return [1, LOCALS, 0x7f, ...body];
}

// the vector walk's locals, after the same five parameters
const V_I = 5; // first position of the block
const V_START = 6; // where the [a-z0-9] run reaching the block began (the block's first position if none)
const V_NC = 7;
const V_NR = 8;
const V_P = 9; // positions of the block where the nibble filter lets a triple through
const V_Z = 10; // positions of the block that end a run (not [a-z0-9]), up to the text's end
const V_J = 11; // a bit of P or Z: the position I + J
const V_POS = 12; // the position whose triple is tested
const V_TRIPLE = 13;
const V_LEN = 14; // the length of the run that ends at I + J
const V_REST = 15; // N - I: how far the text reaches into the block
const V_LAST = 16; // the block's last run end
const V_A = 17; // [a-z0-9] positions of the block
const V_ANEXT = 18; // the same for the next block
const V_I32_LOCALS = 14;
const V_L = 19; // the block's characters in the walk's lower case, one byte each (0: not ASCII or NUL)
const V_LNEXT = 20; // the next block's
const V_X = 21; // scratch
const V_TABLE = 22; // six nibble tables: LO0, HI0, LO1, HI1, LO2, HI2
const V_V128_LOCALS = 9;

/**
 * The same contract as walkFunction, sixteen characters a step with the vector instructions
 * (WebAssembly SIMD). Each block of sixteen UTF-16 units is narrowed to bytes, lower-cased and
 * tested at once: which are [a-z0-9], and where a triple may begin an anchor, by a "shufti"
 * filter (one table lookup per nibble per character position of the triple, eight buckets of
 * anchors; see shuftiTables). Only the positions the filter lets through (about 3 % of a page)
 * are tested exactly, on the same triple bitmap as the scalar loop, and runs are taken from the
 * block's mask of characters that end one: the first and last in the block at once, the ones
 * between one by one only if enough [a-z0-9] characters lie between them to make a run of the
 * minimum length. The text must be followed by PAD_CHARS zero units (ending the last run where
 * the text ends, as the scalar loop's last test does).
 */
function vectorWalkFunction(textAt: number, runsAt: number): number[] {
  /** the block at position I + 16 * ahead, lower-cased, into V_LNEXT; its [a-z0-9] mask into V_ANEXT */
  const lowerBlock = (ahead: number): number[] => [
    ...get(V_I), ...i32(1), SHL, ...v128Load(textAt + 32 * ahead),
    ...get(V_I), ...i32(1), SHL, ...v128Load(textAt + 32 * ahead + 16),
    ...I8_NARROW_U, ...set(V_X), // units past 0xff become 0xff, past 0x7fff (negative as i16) 0
    // x + 32 where x is A-Z, then 0 where x is not ASCII
    ...get(V_X), ...get(V_X), ...splat8(65), ...I8_SUB, ...splat8(26), ...I8_LT_U, ...splat8(32), ...V_AND, ...I8_ADD,
    ...get(V_X), ...splat8(128), ...I8_LT_U, ...V_AND, ...tee(V_LNEXT),
    // [a-z0-9]
    ...splat8(97), ...I8_SUB, ...splat8(26), ...I8_LT_U,
    ...get(V_LNEXT), ...splat8(48), ...I8_SUB, ...splat8(10), ...I8_LT_U, ...V_OR,
    ...I8_BITMASK, ...set(V_ANEXT),
  ];
  /** buckets of the character vector on the stack at triple position p */
  const shufti = (p: number, shifted: number[]): number[] => [
    ...get(V_TABLE + 2 * p), ...shifted, ...splat8(15), ...V_AND, ...SWIZZLE,
    ...get(V_TABLE + 2 * p + 1), ...shifted, ...i32(4), ...I8_SHR_U, ...SWIZZLE,
    ...V_AND,
  ];
  const classAt = (plus: number): number[] => [...get(V_POS), ...i32(1), SHL, ...load16u(textAt + 2 * plus), ...load8u(CLASS_AT), ...i32(127), AND];
  // runs[nr] = start; runs[nr + 1] = I + J; nr += 2, if its length is in range and there is room
  const maybePushRun = [
    ...get(V_I), ...get(V_J), ADD, ...get(V_START), SUB, ...tee(V_LEN), ...get(MIN_RUN), GE_U,
    ...get(V_LEN), ...get(MAX_RUN), LE_U, AND, ...get(V_NR), ...get(MAX_RUN_WORDS), LT_U, AND,
    ...IF,
    ...get(V_NR), ...i32(2), SHL, ...get(V_START), ...store(runsAt),
    ...get(V_NR), ...i32(2), SHL, ...get(V_I), ...get(V_J), ADD, ...store(runsAt + 4),
    ...get(V_NR), ...i32(2), ADD, ...set(V_NR),
    END,
    // the next run starts after this end
    ...get(V_I), ...get(V_J), ADD, ...i32(1), ADD, ...set(V_START),
  ];
  const lowestBit = (local: number): number[] => [...get(local), CTZ, ...set(V_J)];
  const clearLowest = (local: number): number[] => [...get(local), ...get(local), ...i32(1), SUB, AND, ...set(local)];
  // prettier-ignore
  const body = [
    ...Array.from({ length: 6 }, (_, k) => [...i32(0), ...v128Load(SHUFTI_AT + 16 * k), ...set(V_TABLE + k)]).flat(),
    ...lowerBlock(0),
    ...LOOP,
    ...get(V_LNEXT), ...set(V_L), ...get(V_ANEXT), ...set(V_A),
    ...lowerBlock(1),
    // P: where the three characters from here pass the filter
    ...shufti(0, get(V_L)),
    ...shufti(1, [...get(V_L), ...get(V_LNEXT), ...SHUFFLE_FROM(1)]), ...V_AND,
    ...shufti(2, [...get(V_L), ...get(V_LNEXT), ...SHUFFLE_FROM(2)]), ...V_AND,
    ...splat8(0), ...I8_NE, ...I8_BITMASK, ...set(V_P),
    // each position let through, if its triple lies in the text: the exact test
    ...BLOCK, ...LOOP,
    ...get(V_P), EQZ, ...BR_IF(1),
    ...lowestBit(V_P),
    ...get(V_I), ...get(V_J), ADD, ...tee(V_POS), ...i32(2), ADD, ...get(N), LT_U,
    ...IF,
    ...classAt(0), ...i32(14), SHL, ...classAt(1), ...i32(7), SHL, OR, ...classAt(2), OR, ...tee(V_TRIPLE),
    ...i32(3), SHR_U, ...load8u(TRIPLES_AT), ...get(V_TRIPLE), ...i32(7), AND, SHR_U, ...i32(1), AND,
    ...get(V_NC), ...get(MAX_CANDIDATES), LT_U, AND,
    ...IF,
    ...get(V_NC), ...i32(2), SHL, ...get(V_POS), ...store(CANDIDATES_AT),
    ...get(V_NC), ...i32(1), ADD, ...set(V_NC),
    END,
    END,
    ...clearLowest(V_P),
    ...BR(0),
    END, END,
    // Z: the positions that end a run, the text's end (position N, a padding zero) the last of them
    ...get(V_A), ...i32(-1), XOR, ...i32(0xffff), AND,
    ...i32(1), ...get(N), ...get(V_I), SUB, ...tee(V_REST), ...i32(1), ADD, SHL, ...i32(1), SUB,
    ...i32(0xffff),
    ...get(V_REST), ...i32(15), LT_U, SELECT,
    AND, ...tee(V_Z),
    ...IF,
    // the first end closes the run that reached the block
    ...lowestBit(V_Z), ...maybePushRun, ...clearLowest(V_Z),
    ...get(V_Z),
    ...IF,
    // the runs between the first and the last end are shorter than the [a-z0-9] characters below the last
    ...get(V_A), ...i32(1), ...i32(31), ...get(V_Z), CLZ, SUB, ...tee(V_LAST), SHL, ...i32(1), SUB, AND, POPCNT, ...get(MIN_RUN), LT_U,
    ...IF,
    ...get(V_I), ...get(V_LAST), ADD, ...i32(1), ADD, ...set(V_START),
    0x05, // else: each end in turn
    ...BLOCK, ...LOOP,
    ...get(V_Z), EQZ, ...BR_IF(1),
    ...lowestBit(V_Z), ...maybePushRun, ...clearLowest(V_Z),
    ...BR(0),
    END, END,
    END,
    END,
    END,
    // the next block, while it holds a position up to the text's end
    ...get(V_I), ...i32(16), ADD, ...tee(V_I), ...get(N), LE_U, ...BR_IF(0),
    END,
    ...i32(0), ...get(V_NR), ...store(RUN_COUNT_AT),
    ...get(V_NC),
    END,
  ];
  return [2, V_I32_LOCALS, I32, V_V128_LOCALS, V128, ...body];
}

/**
 * The vector walk's nibble tables for a triple bitmap: the anchors' first triples put in eight
 * buckets, each bucket letting through, at each of the three positions, the characters whose low
 * nibble and high nibble both occur there in one of its triples. A triple is placed in the bucket
 * that then lets through the fewest more triples (the product of the characters let through at
 * the three positions), so the filter passes as few positions of a page as it can without knowing
 * the page. LO0, HI0, LO1, HI1, LO2, HI2; bit k of an entry is bucket k.
 */
export function shuftiTables(triples: Uint8Array): Uint8Array {
  const buckets = Array.from({ length: 8 }, () => ({ lo: [0, 0, 0], hi: [0, 0, 0], used: false }));
  const bits = (m: number): number => {
    let c = 0;
    for (; m !== 0; m &= m - 1) c++;
    return c;
  };
  const admitted = (lo: number[], hi: number[]): number => bits(lo[0]!) * bits(hi[0]!) * bits(lo[1]!) * bits(hi[1]!) * bits(lo[2]!) * bits(hi[2]!);
  for (let byte = 0; byte < triples.length; byte++) {
    if (triples[byte] === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((triples[byte]! & (1 << bit)) === 0) continue;
      const t = byte * 8 + bit;
      const chars = [t >>> 14, (t >>> 7) & 127, t & 127];
      let best = 0;
      let bestCost = Infinity;
      buckets.forEach((b, k) => {
        const lo = b.lo.map((m, p) => m | (1 << (chars[p]! & 15)));
        const hi = b.hi.map((m, p) => m | (1 << (chars[p]! >>> 4)));
        const cost = admitted(lo, hi) - (b.used ? admitted(b.lo, b.hi) : 0);
        if (cost < bestCost) [best, bestCost] = [k, cost];
      });
      const b = buckets[best]!;
      b.used = true;
      for (let p = 0; p < 3; p++) {
        b.lo[p]! |= 1 << (chars[p]! & 15);
        b.hi[p]! |= 1 << (chars[p]! >>> 4);
      }
    }
  }
  const tables = new Uint8Array(96);
  buckets.forEach((b, k) => {
    for (let p = 0; p < 3; p++) {
      for (let v = 0; v < 16; v++) {
        if ((b.lo[p]! >>> v) & 1) tables[32 * p + v]! |= 1 << k;
        if ((b.hi[p]! >>> v) & 1) tables[32 * p + 16 + v]! |= 1 << k;
      }
    }
  });
  return tables;
}

function moduleBytes(textAt: number, runsAt: number, pages: number, vector: boolean): Uint8Array {
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const fn = vector ? vectorWalkFunction(textAt, runsAt) : walkFunction(textAt, runsAt);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // type: (i32 x5) -> i32
    ...section(3, [1, 0]), // one function, of that type
    ...section(5, [1, 0, ...uleb(pages)]), // one memory, growable
    ...section(7, [2, ...name('walk'), 0, 0, ...name('memory'), 2, 0]), // exports
    ...section(10, [1, ...uleb(fn.length), ...fn]), // code
  ]);
}

type WalkExport = (n: number, minRun: number, maxRun: number, maxCandidates: number, maxRunWords: number) => number;

/** The loop in WebAssembly, with its own memory (the triple bitmap is the scanner's). Not re-entrant; JavaScript never re-enters it. */
export class WasmWalker implements TextWalker {
  private readonly memory: WebAssembly.Memory;
  private readonly run: WalkExport;
  private readonly textAt: number;
  private readonly runsAt: number;
  /** the memory as bytes and as words; made again when the memory grows (its buffer is then a new one) */
  private view: Buffer;
  private words: Uint32Array;
  /** the loop runs sixteen characters a step (vectorWalkFunction), not one */
  readonly vector: boolean;

  /** `vector`: false for the one-character loop even where WebAssembly SIMD runs (tests compare the two) */
  constructor(
    private readonly triples: Uint8Array,
    private readonly caps: WalkCaps,
    vector = true,
  ) {
    if (triples.length !== TRIPLES_BYTES) throw new RangeError('the triple bitmap has 2^21 bits');
    this.runsAt = CANDIDATES_AT + 4 * caps.maxCandidates;
    this.textAt = Math.ceil((this.runsAt + 8 * caps.maxRuns) / PAGE) * PAGE;
    let bytes = moduleBytes(this.textAt, this.runsAt, this.textAt / PAGE, vector);
    // an engine without SIMD refuses the vector loop: the one-character loop then
    if (vector && !WebAssembly.validate(bytes)) [bytes, vector] = [moduleBytes(this.textAt, this.runsAt, this.textAt / PAGE, false), false];
    this.vector = vector;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    this.memory = instance.exports['memory'] as WebAssembly.Memory;
    this.run = instance.exports['walk'] as WalkExport;
    this.view = Buffer.from(this.memory.buffer);
    this.words = new Uint32Array(this.memory.buffer);
    this.view.set(CHAR_CLASS, CLASS_AT);
    this.view.set(triples, TRIPLES_AT);
    if (vector) this.view.set(shuftiTables(triples), SHUFTI_AT);
  }

  walk(text: string, minRun: number, maxRun: number): WalkResult {
    // far past any page the scan is given (rawPatterns.ts cuts at 4 million characters)
    if (text.length > MAX_WASM_TEXT) return jsWalk(text, this.triples, minRun, maxRun, this.caps);
    const need = this.textAt + 2 * (text.length + PAD_CHARS);
    if (need > this.memory.buffer.byteLength) {
      // grown to the longest page seen (the scan's input is bounded by its caller)
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / PAGE));
      this.view = Buffer.from(this.memory.buffer);
      this.words = new Uint32Array(this.memory.buffer);
    }
    // UTF-16 little-endian: WebAssembly's loads are little-endian too
    const written = this.view.write(text, this.textAt, 'utf16le');
    this.view.fill(0, this.textAt + written, this.textAt + written + 2 * PAD_CHARS);
    // the loop compares unsigned 32-bit lengths; a range no run fits is one no run reaches
    const lo = Math.ceil(minRun);
    const hi = Math.floor(maxRun);
    const none = !(lo <= hi) || hi < 0;
    const min = none ? U32_NEVER : Math.max(0, Math.min(lo, U32_NEVER));
    const max = none ? 0 : Math.min(hi, U32_NEVER);
    const found = this.run(text.length, min, max, this.caps.maxCandidates, 2 * this.caps.maxRuns);
    const words = this.words;
    const runCount = words[RUN_COUNT_AT >>> 2]!;
    const runs: number[] = new Array<number>(runCount);
    for (let k = 0; k < runCount; k++) runs[k] = words[(this.runsAt >>> 2) + k]!;
    return { candidates: words.subarray(CANDIDATES_AT >>> 2, (CANDIDATES_AT >>> 2) + found), candidateCount: found, runs };
  }
}

/** The JavaScript loop behind the same interface. */
export class JsWalker implements TextWalker {
  constructor(
    private readonly triples: Uint8Array,
    private readonly caps: WalkCaps,
  ) {}

  walk(text: string, minRun: number, maxRun: number): WalkResult {
    return jsWalk(text, this.triples, minRun, maxRun, this.caps);
  }
}

/** The WebAssembly walker where WebAssembly runs, else the JavaScript one. */
export function createWalker(triples: Uint8Array, caps: WalkCaps): TextWalker {
  if (typeof WebAssembly === 'object') {
    try {
      return new WasmWalker(triples, caps);
    } catch {
      // no WebAssembly here (--jitless, or a locked-down runtime): the same loop in JavaScript
    }
  }
  return new JsWalker(triples, caps);
}
