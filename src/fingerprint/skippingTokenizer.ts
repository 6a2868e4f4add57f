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
const NAME_ENDS = [
  ['stateInAttributeName', endsOf(`=/>${WHITESPACE}`)],
  ['stateInTagName', endsOf(`/>${WHITESPACE}`)],
  ['stateInClosingTagName', endsOf(`>${WHITESPACE}`)],
] as const;

export class SkippingTokenizer extends Tokenizer {}

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
