import { Tokenizer } from 'htmlparser2';

/**
 * htmlparser2's Tokenizer, reading runs of characters that change nothing in one go. Its `parse`
 * loop calls a state function for every character, through property reads and a switch; where a
 * state only waits for one of a few characters, that costs more than the search itself:
 *
 * - `fastForwardTo(c)` (with entity decoding off, it reads text, attribute values, script and
 *   style content, comments and declarations) steps one character at a time: here it is
 *   `String.prototype.indexOf`, the engine's own search;
 * - tag names, end-tag names and attribute names are read a character per loop turn: here the
 *   state skips to the first character that ends the name, then runs the stock state on it.
 *
 * The characters skipped are ones on which the stock state does nothing (no callback, no change
 * of state), so the events are the same, at the same indices, as the stock Tokenizer's, which
 * test/fingerprint/skippingTokenizer.test.ts compares on tag soup. Over the corpus this took
 * the fingerprint from about 2.9 to 2.5 tokenises (docs/evaluation.md). Each replaced method is
 * looked up on the stock prototype first: an htmlparser2 without it keeps its own reading.
 */

/** The Tokenizer's fields the replacements read and set (private in its typings). */
interface TokenizerState {
  buffer: string;
  index: number;
  offset: number;
}

/** One-character strings for `indexOf`, by char code (the tokenizer only skips to ASCII). */
const CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** 1 for the ASCII characters in `chars` */
const endsOf = (chars: string): Uint8Array => Uint8Array.from({ length: 128 }, (_, c) => (chars.includes(String.fromCharCode(c)) ? 1 : 0));
/** htmlparser2's whitespace (`isWhitespace`) */
const WHITESPACE = ' \n\t\f\r';
/** what ends each name, as the stock states test it (`isEndOfTagSection`, plus `=` or less) */
/** what ends an attribute name (also read by the attribute reader below) */
const ATTRIBUTE_NAME_ENDS = endsOf(`=/>${WHITESPACE}`);
const NAME_ENDS = [
  ['stateInAttributeName', ATTRIBUTE_NAME_ENDS],
  ['stateInTagName', endsOf(`/>${WHITESPACE}`)],
  ['stateInClosingTagName', endsOf(`>${WHITESPACE}`)],
] as const;

export class SkippingTokenizer extends Tokenizer {
  /** how deep the reads in the same turn (below) are nested: bounded, see there */
  chainDepth = 0;
}

const stock = Tokenizer.prototype as unknown as Record<string, unknown>;
const own = SkippingTokenizer.prototype as unknown as Record<string, unknown>;

if (typeof stock['fastForwardTo'] === 'function') {
  // the stock contract: move `index` to the next `c` after it and say so, or to the last character and say not
  own['fastForwardTo'] = function fastForwardTo(this: TokenizerState, c: number): boolean {
    const at = this.buffer.indexOf(CHAR[c]!, this.index + 1 - this.offset);
    if (at >= 0) {
      this.index = at + this.offset;
      return true;
    }
    this.index = this.buffer.length + this.offset - 1;
    return false;
  };
}

for (const [name, ends] of NAME_ENDS) {
  const step = stock[name];
  if (typeof step !== 'function') continue;
  own[name] = function skipName(this: TokenizerState, c: number): void {
    if (c >= 128 || ends[c] === 0) {
      const buf = this.buffer;
      const n = buf.length;
      let i = this.index - this.offset + 1;
      while (i < n) {
        const d = buf.charCodeAt(i);
        if (d < 128 && ends[d] === 1) break;
        i++;
      }
      if (i >= n) {
        // the name runs to the end of the input: `parse` moves past it and stops, as before
        this.index = n + this.offset - 1;
        return;
      }
      this.index = i + this.offset;
      c = buf.charCodeAt(i);
    }
    (step as (this: TokenizerState, c: number) => void).call(this, c);
  };
}

// ---- a tag's attributes in one call ----------------------------------------------------------

/** The Tokenizer's fields the attribute reader reads and sets (private in its typings). */
interface TagState extends TokenizerState {
  state: number;
  sectionStart: number;
  running: boolean;
  decodeEntities: boolean;
  cbs: {
    onattribname(start: number, end: number): void;
    onattribdata(start: number, end: number): void;
    onattribend(quote: number, endIndex: number): void;
  };
}

/**
 * The Tokenizer's state numbers (not exported), read off a stock Tokenizer left in each state by
 * a piece of a tag; null if any is missing or two coincide, and the attribute reader is not used.
 */
function probeStates(): Record<'beforeTagName' | 'tagName' | 'closingTagName' | 'before' | 'name' | 'after' | 'beforeValue' | 'dq' | 'sq' | 'nq' | 'selfClosing', number> | null {
  const noop = (): void => {};
  const cbs = new Proxy({}, { get: () => noop }) as ConstructorParameters<typeof Tokenizer>[1];
  const stateAfter = (html: string): number | undefined => {
    const t = new Tokenizer({ decodeEntities: false }, cbs);
    t.write(html);
    return (t as unknown as { state?: unknown }).state as number | undefined;
  };
  const states = { beforeTagName: stateAfter('<'), tagName: stateAfter('<a'), closingTagName: stateAfter('</a'), before: stateAfter('<a '), name: stateAfter('<a b'), after: stateAfter('<a b '), beforeValue: stateAfter('<a b='), dq: stateAfter('<a b="'), sq: stateAfter("<a b='"), nq: stateAfter('<a b=c'), selfClosing: stateAfter('<a /') };
  const values = Object.values(states);
  if (values.some((v) => typeof v !== 'number') || new Set(values).size !== values.length) return null;
  return states as Record<keyof typeof states, number>;
}

const QUOTE_NONE = 0;
const QUOTE_UNQUOTED = 1;
const QUOTE_SINGLE = 2;
const QUOTE_DOUBLE = 3;
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;

const STATES = probeStates();
const stockBeforeName = stock['stateBeforeAttributeName'];
const stockSelfClosing = stock['stateInSelfClosingTag'];

/*
 * Between a tag's name and its '>' the Tokenizer goes through eight states (before, in and after
 * an attribute name, before a value, in a value of each quoting, after a '/'), one character per
 * turn of its loop: about half of all its turns over the corpus. Here they are one loop, entered
 * where the stock Tokenizer enters "before an attribute name", that makes the same callbacks at
 * the same indices and leaves the Tokenizer in the state the stock one would be in: at the '>'
 * it hands over to the stock states (which know the special tags), at the end of the input it
 * stops in the state reached, and when a callback pauses the Tokenizer it stops after the
 * character, as the stock loop does. With entity decoding on, values go through the stock states.
 */
if (STATES !== null && typeof stockBeforeName === 'function' && typeof stockSelfClosing === 'function') {
  const { before: BEFORE, name: NAME, after: AFTER, beforeValue: BEFORE_VALUE, dq: DQ, sq: SQ, nq: NQ, selfClosing: SELF_CLOSING } = STATES;
  const beforeName = stockBeforeName as (this: TagState, c: number) => void;
  const selfClosing = stockSelfClosing as (this: TagState, c: number) => void;
  own['stateBeforeAttributeName'] = function readAttributes(this: TagState, c: number): void {
    if (this.decodeEntities) return beforeName.call(this, c);
    const buf = this.buffer;
    const n = buf.length;
    const off = this.offset;
    let i = this.index - off;
    let state = BEFORE;
    for (;;) {
      // c is buf[i]; `continue` reads it again in the new state, as the stock states do
      if (state === BEFORE) {
        if (c === 62 /* > */) {
          this.index = i + off;
          this.state = BEFORE;
          return beforeName.call(this, c);
        }
        if (c === 47 /* / */) state = SELF_CLOSING;
        else if (!isSpace(c)) {
          state = NAME;
          this.sectionStart = i + off;
        }
      } else if (state === NAME) {
        // a name ends at '=', '/', '>' or white space (one table read a character)
        while (c >= 128 || ATTRIBUTE_NAME_ENDS[c] === 0) {
          if (++i >= n) return stopAt(this, n - 1, NAME);
          c = buf.charCodeAt(i);
        }
        this.cbs.onattribname(this.sectionStart, i + off);
        this.sectionStart = i + off;
        state = AFTER;
        continue;
      } else if (state === AFTER) {
        if (c === 61) state = BEFORE_VALUE;
        else if (c === 47 || c === 62) {
          this.cbs.onattribend(QUOTE_NONE, this.sectionStart);
          this.sectionStart = -1;
          state = BEFORE;
          continue;
        } else if (!isSpace(c)) {
          this.cbs.onattribend(QUOTE_NONE, this.sectionStart);
          state = NAME;
          this.sectionStart = i + off;
        }
      } else if (state === BEFORE_VALUE) {
        if (c === 34 /* " */) {
          state = DQ;
          this.sectionStart = i + off + 1;
        } else if (c === 39 /* ' */) {
          state = SQ;
          this.sectionStart = i + off + 1;
        } else if (!isSpace(c)) {
          this.sectionStart = i + off;
          state = NQ;
          continue;
        }
      } else if (state === DQ || state === SQ) {
        const quote = state === DQ ? 34 : 39;
        if (c !== quote) {
          const at = buf.indexOf(state === DQ ? '"' : "'", i + 1);
          if (at < 0) return stopAt(this, n - 1, state);
          i = at;
        }
        this.cbs.onattribdata(this.sectionStart, i + off);
        this.sectionStart = -1;
        this.cbs.onattribend(state === DQ ? QUOTE_DOUBLE : QUOTE_SINGLE, i + off + 1);
        state = BEFORE;
      } else if (state === NQ) {
        if (isSpace(c) || c === 62) {
          this.cbs.onattribdata(this.sectionStart, i + off);
          this.sectionStart = -1;
          this.cbs.onattribend(QUOTE_UNQUOTED, i + off);
          state = BEFORE;
          continue;
        }
      } else {
        // after a '/'
        if (c === 62) {
          this.index = i + off;
          this.state = SELF_CLOSING;
          return selfClosing.call(this, c);
        }
        if (!isSpace(c)) {
          state = BEFORE;
          continue;
        }
      }
      // the next character, unless a callback paused the Tokenizer or the input has ended
      if (!this.running || i + 1 >= n) return stopAt(this, i, state);
      c = buf.charCodeAt(++i);
    }
  };
}

/** Leaves the Tokenizer on buffer position `i` in `state`: its loop moves past that character next. */
function stopAt(t: TagState, i: number, state: number): void {
  t.index = i + t.offset;
  t.state = state;
}

/*
 * Text ends at a '<', and after '<' or '</' the stock states take a turn of the loop to see the
 * name's first letter and another to read the name. Where a stock state has just entered the
 * next one of these, the next character is read at once in it, as the loop's next turn would,
 * unless a callback (the text's) paused the Tokenizer. Installed in this order, so that text's
 * '<' leads into the tag-name reading installed before it. The stock "before a tag name" hands a
 * character that starts no tag back to the text state, so "<<<<" would nest these reads one
 * character deeper each: past two levels (text, '<', name) the loop's next turn reads it instead.
 */
for (const [entry, name, entered] of [
  ['stateBeforeTagName', 'stateInTagName', STATES?.tagName],
  ['stateBeforeClosingTagName', 'stateInClosingTagName', STATES?.closingTagName],
  ['stateText', 'stateBeforeTagName', STATES?.beforeTagName],
] as const) {
  const step = stock[entry];
  const read = own[name];
  if (entered === undefined || typeof step !== 'function' || typeof read !== 'function') continue;
  own[entry] = function enterName(this: TagState & { chainDepth: number }, c: number): void {
    (step as (this: TagState, c: number) => void).call(this, c);
    if (this.state !== entered || !this.running || this.chainDepth >= 2) return;
    const i = this.index - this.offset + 1;
    if (i >= this.buffer.length) return;
    this.index = i + this.offset;
    this.chainDepth++;
    try {
      (read as (this: TagState, c: number) => void).call(this, this.buffer.charCodeAt(i));
    } finally {
      this.chainDepth--;
    }
  };
}