import { doubled } from './doubled.js';
import { stableToken } from './normalise.js';
import { MurmurPairStream, utf8ByteString, type SimhashAccumulator } from './simhash64.js';

/**
 * Interned tag-path windows: the last `depth` element tokens (`div#header>ul.nav>li>a`) of each
 * element's ancestry, as small integers. A window is built from its parent's window and one token,
 * so an element costs one numeric map lookup, not a path array and a joined string; the string of
 * a window is spelt once, at the end, for the distinct windows that occurred.
 *
 * Window 0 is the empty path (the document). Element tokens (`tag#id.class1.class2.class3`) are
 * interned by tag, id and class through nested maps, so no cache-key string is built per element.
 */

/** window ids and token ids stay below 2^26 each */
const TOKEN_SPACE = 2 ** 26;

/** the fields of a window in `PathWindows.win` */
const W_PREFIX = 0;
const W_TOKEN = 1;
const W_LENGTH = 2;
const W_TAIL = 3;
const W_OCCURRENCES = 4;
const W_FIELDS = 5;

export class PathWindows {
  /**
   * Per window, five numbers in a row (W_*): the window of its first depth-1 tokens, its last
   * token, its length, its tail (all but the first token), and how often it occurred. One typed
   * array grown by doubling, not five arrays of numbers (each number there takes twice the room,
   * and the five grew one by one: 5.5 MB a round over the corpus, measured by heap sampling).
   */
  private win = new Int32Array(W_FIELDS * 512);
  /** windows interned, the document's (0) included */
  private windows = 1;
  /** windows that occurred at least once */
  private occurring = 0;
  /**
   * (prefix window, token) -> window, open addressing in typed arrays: a Map keyed by
   * `prefix * TOKEN_SPACE + token` boxes every key past 2^31 as a heap number. Slot value 0 is
   * "empty" (window 0, the document, is never a child).
   */
  private slotPrefix = new Int32Array(1024);
  private slotToken = new Int32Array(1024);
  private slotWindow = new Int32Array(1024);
  private slotsUsed = 0;
  private readonly tokenStrings: string[] = [''];
  private readonly tokenIds = new Map<string, Map<string, Map<string, number>>>();
  private readonly tokenBySpelling = new Map<string, number>();
  private readonly plainTokens = new Map<string, number>();
  /** per tag name: the class value of its last element with classes and no id, and that element's token */
  private readonly lastClass = new Map<string, { cls: string; token: number }>();
  /** class attribute value -> its part of an element token (classPart) */
  private readonly classParts = new Map<string, string>();

  constructor(private readonly depth: number) {}

  /** The window of an element whose parent has window `parent`; counts one occurrence of it. */
  child(parent: number, name: string, id: string | null, cls: string | null): number {
    let tok: number | undefined;
    if (!id && !cls) {
      // most elements carry neither: one lookup by tag name
      tok = this.plainTokens.get(name);
      if (tok === undefined) this.plainTokens.set(name, (tok = this.tokenId(name, '', '')));
    } else if (!id && cls) {
      // elements of one tag in a row mostly repeat their class value (table cells, list items):
      // compared with the tag's last one, it needs no hash of the value
      const last = this.lastClass.get(name);
      if (last !== undefined && last.cls === cls) tok = last.token;
      else {
        tok = this.tokenId(name, '', cls);
        if (last !== undefined) {
          last.cls = cls;
          last.token = tok;
        } else this.lastClass.set(name, { cls, token: tok });
      }
    } else tok = this.tokenId(name, id ?? '', cls ?? '');
    const win = this.win;
    const prefix = win[W_FIELDS * parent + W_LENGTH]! < this.depth ? parent : win[W_FIELDS * parent + W_TAIL]!;
    const w = this.intern(prefix, tok);
    // intern may have grown the array
    if (this.win[W_FIELDS * w + W_OCCURRENCES]!++ === 0) this.occurring++;
    return w;
  }

  /** How often window `w` occurred (0 for the document and for windows only used as tails). */
  count(w: number): number {
    return this.win[W_FIELDS * w + W_OCCURRENCES]!;
  }

  /** How many distinct windows occurred (the size of `counts()`). */
  get size(): number {
    return this.occurring;
  }

  /**
   * Each occurring window's feature hash (`featureHash64` of its spelling in `counts()`), added
   * to `acc` with `weight(count)`, in the order of `counts()`: the simhash of the structure
   * family without spelling it. A window's prefix is interned before it, so one forward loop
   * hashes each window as its prefix's murmur state fed `>` and its last token.
   */
  hashInto(acc: SimhashAccumulator, weight: (count: number) => number): void {
    const n = this.windows;
    const win = this.win;
    // per window its murmur state (h1, h2, the open block, the length), four in a row: one
    // array, not four (an Int32Array of 1,024 took 1.6 µs to make here)
    const states = new Int32Array(4 * n);
    // each token's bytes, once: every token stands last in some window
    const bytes = this.tokenStrings.map(utf8ByteString);
    // most windows are only the tails of others (the sliding window's suffixes) and never
    // occur: their states are needed only as some occurring window's prefix. A prefix is
    // interned before its windows, so one backward pass marks every state needed.
    const needed = new Uint8Array(n);
    for (let w = n - 1; w >= 1; w--) if (needed[w] === 1 || win[W_FIELDS * w + W_OCCURRENCES]! > 0) needed[win[W_FIELDS * w + W_PREFIX]!] = needed[w] = 1;
    const stream = new MurmurPairStream();
    const out = new Uint32Array(2);
    for (let w = 1; w < n; w++) {
      if (needed[w] === 0) continue;
      const p = win[W_FIELDS * w + W_PREFIX]!;
      if (p === 0) stream.reset();
      else {
        stream.h1 = states[4 * p]!;
        stream.h2 = states[4 * p + 1]!;
        stream.k = states[4 * p + 2]!;
        stream.length = states[4 * p + 3]!;
        stream.feedByte(0x3e); // '>'
      }
      const b = bytes[win[W_FIELDS * w + W_TOKEN]!]!;
      stream.feed(b, 0, b.length);
      states[4 * w] = stream.h1;
      states[4 * w + 1] = stream.h2;
      states[4 * w + 2] = stream.k;
      states[4 * w + 3] = stream.length;
      const count = win[W_FIELDS * w + W_OCCURRENCES]!;
      if (count === 0) continue;
      stream.finish(out);
      acc.addHash(out[0]!, out[1]!, weight(count));
    }
  }

  /** Occurring windows spelt as `a>b>c>d`, with their counts. */
  counts(): Map<string, number> {
    const spelt: Array<string | undefined> = [];
    const spell = (w: number): string => {
      let s = spelt[w];
      if (s === undefined) {
        const p = this.win[W_FIELDS * w + W_PREFIX]!;
        const token = this.tokenStrings[this.win[W_FIELDS * w + W_TOKEN]!]!;
        s = p === 0 ? token : `${spell(p)}>${token}`;
        spelt[w] = s;
      }
      return s;
    };
    const out = new Map<string, number>();
    for (let w = 1; w < this.windows; w++) {
      const count = this.win[W_FIELDS * w + W_OCCURRENCES]!;
      if (count > 0) out.set(spell(w), count);
    }
    return out;
  }

  private intern(prefix: number, tok: number): number {
    const found = this.lookup(prefix, tok);
    if (found !== 0) return found;
    // the tail of prefix+token is tail(prefix)+token (empty when prefix is empty)
    const tail = prefix === 0 ? 0 : this.intern(this.win[W_FIELDS * prefix + W_TAIL]!, tok);
    const w = this.windows++;
    if (w >= TOKEN_SPACE) throw new RangeError('too many tag-path windows');
    if (W_FIELDS * (w + 1) > this.win.length) this.win = doubled(this.win);
    const at = W_FIELDS * w;
    const win = this.win;
    win[at + W_PREFIX] = prefix;
    win[at + W_TOKEN] = tok;
    win[at + W_LENGTH] = win[W_FIELDS * prefix + W_LENGTH]! + 1;
    win[at + W_TAIL] = tail;
    win[at + W_OCCURRENCES] = 0;
    this.insert(prefix, tok, w);
    return w;
  }

  private slotOf(prefix: number, tok: number): number {
    const mask = this.slotWindow.length - 1;
    let i = (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(tok, 0x85ebca6b)) & mask;
    while (this.slotWindow[i] !== 0 && (this.slotPrefix[i] !== prefix || this.slotToken[i] !== tok)) i = (i + 1) & mask;
    return i;
  }

  private lookup(prefix: number, tok: number): number {
    return this.slotWindow[this.slotOf(prefix, tok)]!;
  }

  private insert(prefix: number, tok: number, w: number): void {
    if (2 * (this.slotsUsed + 1) > this.slotWindow.length) this.grow();
    const i = this.slotOf(prefix, tok);
    this.slotPrefix[i] = prefix;
    this.slotToken[i] = tok;
    this.slotWindow[i] = w;
    this.slotsUsed++;
  }

  private grow(): void {
    const [prefixes, tokens, windows] = [this.slotPrefix, this.slotToken, this.slotWindow];
    this.slotPrefix = new Int32Array(windows.length * 2);
    this.slotToken = new Int32Array(windows.length * 2);
    this.slotWindow = new Int32Array(windows.length * 2);
    for (let i = 0; i < windows.length; i++) {
      if (windows[i] === 0) continue;
      const j = this.slotOf(prefixes[i]!, tokens[i]!);
      this.slotPrefix[j] = prefixes[i]!;
      this.slotToken[j] = tokens[i]!;
      this.slotWindow[j] = windows[i]!;
    }
  }

  private tokenId(name: string, id: string, cls: string): number {
    let byId = this.tokenIds.get(name);
    if (byId === undefined) this.tokenIds.set(name, (byId = new Map()));
    // keyed by the id's stable form: ids are unique on a page by design ("post-17", "post-18"),
    // so keyed by the raw id nearly every element with one would miss (and make a map)
    const stableId = id ? (stableToken(id) ?? '') : '';
    let byClass = byId.get(stableId);
    if (byClass === undefined) byId.set(stableId, (byClass = new Map()));
    let t = byClass.get(cls);
    if (t === undefined) {
      // different raw classes fold to one token (".row-1", ".row-2" -> ".row-#"): one id per spelling
      let classes = this.classParts.get(cls);
      if (classes === undefined) this.classParts.set(cls, (classes = classPart(cls)));
      const spelt = stableId ? `${name}#${stableId}${classes}` : name + classes;
      t = this.tokenBySpelling.get(spelt);
      if (t === undefined) {
        t = this.tokenStrings.length;
        if (t >= TOKEN_SPACE) throw new RangeError('too many element tokens');
        this.tokenStrings.push(spelt);
        this.tokenBySpelling.set(spelt, t);
      }
      byClass.set(cls, t);
    }
    return t;
  }
}

/**
 * The classes of an element token (`tag#id.c1.c2.c3`): up to three stable classes, sorted
 * (class order is not a trait), as `.c1.c2.c3`. Worked out once per class attribute value: rows
 * with ids of their own share their classes.
 */
function classPart(cls: string): string {
  if (!cls) return '';
  const classes: string[] = [];
  for (const c of cls.split(/\s+/)) {
    const t = stableToken(c);
    if (t) classes.push(t);
  }
  // in code-unit order, as sort() orders strings; most values hold one to three classes, put in
  // order here by compare-and-swap: sort() makes a work array even for two
  const n = classes.length;
  if (n > 3) classes.sort();
  else if (n > 1) {
    inOrder(classes, 0, 1);
    if (n === 3) {
      inOrder(classes, 1, 2);
      inOrder(classes, 0, 1);
    }
  }
  let part = '';
  for (let i = 0; i < n && i < 3; i++) part += `.${classes[i]!}`;
  return part;
}

/** Swaps a[i] and a[j] (i < j) if they are out of code-unit order. */
function inOrder(a: string[], i: number, j: number): void {
  const x = a[i]!;
  const y = a[j]!;
  if (y < x) {
    a[i] = y;
    a[j] = x;
  }
}
