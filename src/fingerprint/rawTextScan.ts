/**
 * Every raw-text search of the fingerprint in one walk over the page. Tracker IDs, magnet links,
 * challenge and parking markers are regexes; donation addresses are runs of letters and digits.
 * Run separately, each regex and each address shape read the whole page again: together about
 * as long as the parse itself.
 *
 * Regexes: each pattern names *anchors*, literals one of which begins every match. The walk
 * notes where the anchors stand (case-insensitively, by character triples); each pattern's own
 * regex then runs only there, sticky, on the real text, so lookbehinds and `\b` see what they saw
 * before. The results equal a whole-text scan: for `matchAll`, a match can only start at an
 * anchor, so trying anchors left to right and skipping those inside the previous match finds the
 * same leftmost, non-overlapping matches; for `test`, some anchor starts the match. That holds
 * only if the anchors are right: each pattern states them beside its regex, and
 * test/fingerprint/rawTextScan.test.ts compares both ways on pages built to hit them.
 *
 * Runs: maximal runs of [A-Za-z0-9] whose length lies in a range. An address regex bounded by
 * `(?<![A-Za-z0-9])` and `(?![A-Za-z0-9])` can only match a whole maximal run, so testing each
 * run of a possible length is the same as scanning the page with that regex.
 */
import { CHAR_CLASS, createWalker, type TextWalker, type WalkCaps } from './textWalk.js';

export interface AnchoredPattern {
  /** every match of `re` begins with one of these (compared ignoring ASCII case); 3+ ASCII characters each */
  anchors: readonly string[];
  /** the pattern; the scanner runs a sticky copy of it */
  re: RegExp;
}

export interface RunLengths {
  min: number;
  max: number;
}

/** Anchor hits and runs kept per page: past these, a page of repetitions is read no further. */
const MAX_HITS = 100_000;
/** positions where the triple filter fires, checked against the anchors after the walk; runs of address length */
const CAPS: WalkCaps = { maxCandidates: 1_000_000, maxRuns: 100_000 };

/** A UTF-16 code unit's ASCII lower case, 0 when it is not ASCII (the walk's character class, textWalk.ts). */
const lower = (c: number): number => CHAR_CLASS[c]! & 127;

export class RawTextScanner {
  private readonly index = new Map<AnchoredPattern, number>();
  private readonly sticky: RegExp[];
  /** lower-case anchor -> patterns it belongs to */
  private readonly byAnchor = new Map<string, number[]>();
  /** first two characters of an anchor (7 bits each) -> the anchors starting so */
  private readonly byPair = new Map<number, string[]>();
  /**
   * One bit per character triple (7 bits each) that begins some anchor: the walk's only test at
   * most positions. Pairs alone ("cl", "st", "sc") start half the words of a page; with the
   * third character few positions remain.
   */
  private readonly triples = new Uint8Array((1 << 21) / 8);
  /** the character loop (textWalk.ts), made once the bitmap is filled */
  private readonly walker: TextWalker;

  constructor(
    readonly patterns: readonly AnchoredPattern[],
    private readonly runs: RunLengths = { min: Infinity, max: 0 },
  ) {
    this.sticky = patterns.map((p) => new RegExp(p.re.source, p.re.flags.replace(/[gy]/g, '') + 'y'));
    patterns.forEach((p, i) => {
      this.index.set(p, i);
      if (p.anchors.length === 0) throw new TypeError(`pattern ${p.re} has no anchor`);
      for (const a of p.anchors) {
        // the walk looks at character triples
        if (!/^[\x01-\x7f]{3,}$/.test(a)) throw new TypeError(`anchor ${JSON.stringify(a)} is not three or more ASCII characters`);
        const key = a.toLowerCase();
        const list = this.byAnchor.get(key);
        if (list) list.push(i);
        else this.byAnchor.set(key, [i]);
      }
    });
    for (const a of this.byAnchor.keys()) {
      const pair = (a.charCodeAt(0) << 7) | a.charCodeAt(1);
      const triple = (pair << 7) | a.charCodeAt(2);
      this.triples[triple >>> 3]! |= 1 << (triple & 7);
      const list = this.byPair.get(pair) ?? [];
      list.push(a);
      this.byPair.set(pair, list);
    }
    this.walker = createWalker(this.triples, CAPS);
  }

  /** The one walk over `text`. */
  scan(text: string): RawTextHits {
    const hits: number[][] = this.patterns.map(() => []);
    const { candidates, candidateCount, runs } = this.walker.walk(text, this.runs.min, this.runs.max);
    let anchorsSeen = 0;
    for (let k = 0; k < candidateCount && anchorsSeen < MAX_HITS; k++) anchorsSeen += this.record(text, candidates[k]!, hits);
    return new RawTextHits(text, this.index, this.sticky, hits, runs);
  }

  /** Every anchor standing at `at` (anchors may overlap: "cf_" starts inside "__cf_chl"); how many. */
  private record(text: string, at: number, hits: number[][]): number {
    const pair = (lower(text.charCodeAt(at)) << 7) | lower(text.charCodeAt(at + 1));
    let found = 0;
    for (const a of this.byPair.get(pair)!) {
      if (!startsWithLower(text, at, a)) continue;
      for (const p of this.byAnchor.get(a)!) {
        const list = hits[p]!;
        if (list[list.length - 1] !== at) {
          list.push(at);
          found++;
        }
      }
    }
    return found;
  }
}

/** `text` at `at` spells the lower-case ASCII `anchor`, ignoring ASCII case; no string is made. */
function startsWithLower(text: string, at: number, anchor: string): boolean {
  if (at + anchor.length > text.length) return false;
  for (let k = 0; k < anchor.length; k++) if (lower(text.charCodeAt(at + k)) !== anchor.charCodeAt(k)) return false;
  return true;
}

/** What the walk found on one page; answers as the whole-text regexes would. */
export class RawTextHits {
  constructor(
    readonly text: string,
    private readonly index: ReadonlyMap<AnchoredPattern, number>,
    private readonly sticky: readonly RegExp[],
    private readonly hits: readonly number[][],
    private readonly runList: readonly number[],
  ) {}

  private indexOf(pattern: AnchoredPattern): number {
    const i = this.index.get(pattern);
    if (i === undefined) throw new TypeError(`pattern ${pattern.re} was not scanned for`);
    return i;
  }

  /** As `text.matchAll(pattern)`: leftmost, non-overlapping matches, in order. */
  *matches(pattern: AnchoredPattern): Generator<RegExpExecArray> {
    const i = this.indexOf(pattern);
    const re = this.sticky[i]!;
    let end = 0;
    for (const at of this.hits[i]!) {
      if (at < end) continue;
      re.lastIndex = at;
      const m = re.exec(this.text);
      if (m === null) continue;
      end = m.index + Math.max(1, m[0].length);
      yield m;
    }
  }

  /** As `pattern.test(text.slice(0, within))`: some match lies wholly in the first `within` characters. */
  test(pattern: AnchoredPattern, within = Infinity): boolean {
    const i = this.indexOf(pattern);
    const re = this.sticky[i]!;
    const text = within < this.text.length ? this.text.slice(0, within) : this.text;
    for (const at of this.hits[i]!) {
      if (at >= text.length) break;
      re.lastIndex = at;
      if (re.test(text)) return true;
    }
    return false;
  }

  /** The runs of `runs()` as one flat list, start and end of each in turn: a listing has thousands, and a pair made per run is garbage. */
  runBounds(): readonly number[] {
    return this.runList;
  }

  /** Maximal [A-Za-z0-9] runs of a length in the scanner's range, as [start, end) pairs in order. */
  *runs(): Generator<[number, number]> {
    for (let k = 0; k < this.runList.length; k += 2) yield [this.runList[k]!, this.runList[k + 1]!];
  }
}
