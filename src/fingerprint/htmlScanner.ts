/**
 * htmlparser2's Tokenizer (HTML mode, entities not decoded, the whole input in one piece) as one
 * loop over a page: the same callbacks, in the same order, with the same indices, which
 * test/fingerprint/htmlScanner.test.ts checks against the stock Tokenizer on tag soup.
 *
 * Why not the stock Tokenizer: its `parse` loop calls a state method for every character, and
 * every state reads and writes its position, section start and state as object fields. The
 * fingerprint reads only what the tree rules need (tagTree.ts), so that loop was most of what the
 * tree cost before any feature. Here the same states are cases of one switch over local
 * variables, and the runs on which a state does nothing (text up to '<', a quoted value up to
 * its quote, a name up to its end, a comment up to '-') are skipped with `indexOf` or a table.
 * Each case is the stock state of the same name, transliterated; "read it again" (the stock
 * state calling the next one with the same character) is a `continue` that keeps the position.
 * A few common sequences (white space before an attribute, the quote right after an '=', a
 * tag's first letter after '<', an end tag's '>') are read in one turn where the stock states
 * take two; the callbacks are the same. Sharing no code with htmlparser2's Tokenizer also keeps
 * the bench's yardstick honest: the fingerprint's use of that Tokenizer, or of a subclass of it,
 * made every other Tokenizer in the process slower, the yardstick's included
 * (docs/evaluation.md, issue 13, tenth stop).
 *
 * The stock Tokenizer also takes input in pieces, decodes entities and reads XML; the
 * fingerprint needs none of these, so none is here.
 */

/** The Tokenizer's callbacks the scanner makes (htmlparser2's `Callbacks`, without the entity ones). */
export interface ScanCallbacks {
  ontext(start: number, endIndex: number): void;
  onopentagname(start: number, endIndex: number): void;
  onattribname(start: number, endIndex: number): void;
  onattribdata(start: number, endIndex: number): void;
  onattribend(quote: number, endIndex: number): void;
  onopentagend(endIndex: number): void;
  onselfclosingtag(endIndex: number): void;
  onclosetag(start: number, endIndex: number): void;
  oncomment(start: number, endIndex: number, endOffset: number): void;
  oncdata(start: number, endIndex: number, endOffset: number): void;
  ondeclaration(start: number, endIndex: number): void;
  onprocessinginstruction(start: number, endIndex: number): void;
  onend(): void;
}

// the states, named as htmlparser2 names them
const TEXT = 0;
const BEFORE_TAG_NAME = 1;
const IN_TAG_NAME = 2;
const BEFORE_CLOSING_TAG_NAME = 3;
const IN_CLOSING_TAG_NAME = 4;
const AFTER_CLOSING_TAG_NAME = 5;
const BEFORE_ATTRIBUTE_NAME = 6;
const IN_ATTRIBUTE_NAME = 7;
const AFTER_ATTRIBUTE_NAME = 8;
const BEFORE_ATTRIBUTE_VALUE = 9;
const IN_ATTRIBUTE_VALUE_DQ = 10;
const IN_ATTRIBUTE_VALUE_SQ = 11;
const IN_ATTRIBUTE_VALUE_NQ = 12;
const IN_SELF_CLOSING_TAG = 13;
const BEFORE_DECLARATION = 14;
const IN_DECLARATION = 15;
const IN_PROCESSING_INSTRUCTION = 16;
const BEFORE_COMMENT = 17;
const IN_COMMENT_LIKE = 18;
const IN_SPECIAL_COMMENT = 19;
const CDATA_SEQUENCE = 20;
const BEFORE_SPECIAL_S = 21;
const BEFORE_SPECIAL_T = 22;
const SPECIAL_START_SEQUENCE = 23;
const IN_SPECIAL_TAG = 24;

/** htmlparser2's `QuoteType` */
const QUOTE_NONE = 0;
const QUOTE_UNQUOTED = 1;
const QUOTE_SINGLE = 2;
const QUOTE_DOUBLE = 3;

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
/** htmlparser2's `Sequences` */
const CDATA = bytes('CDATA[');
const CDATA_END = bytes(']]>');
const COMMENT_END = bytes('-->');
const SCRIPT_END = bytes('</script');
const STYLE_END = bytes('</style');
const TITLE_END = bytes('</title');
const TEXTAREA_END = bytes('</textarea');
const XMP_END = bytes('</xmp');

/** per ASCII character: 1 white space (htmlparser2's `isWhitespace`), 2 '/' or '>', 4 '=' */
const CLASS = new Uint8Array(128);
for (const ch of ' \n\t\f\r') CLASS[ch.charCodeAt(0)] = 1;
CLASS[47] = CLASS[62] = 2;
CLASS[61] = 4;
const isWhitespace = (c: number): boolean => c < 128 && CLASS[c] === 1;
/** htmlparser2's `isEndOfTagSection`: white space, '/' or '>' */
const isEndOfTagSection = (c: number): boolean => c < 128 && (CLASS[c]! & 3) !== 0;
const isAsciiAlpha = (c: number): boolean => ((c | 0x20) >= 97 && (c | 0x20) <= 122);
/** the state after a tag name's first letter (stock "before a tag name"): s and t, x may begin a special tag */
const tagNameState = (letter: number): number => {
  const lower = letter | 0x20;
  return lower === SCRIPT_END[2] ? BEFORE_SPECIAL_S : lower === TITLE_END[2] || lower === XMP_END[2] ? BEFORE_SPECIAL_T : IN_TAG_NAME;
};
/** the special tag a tag name's second letter begins (stock "before special s/t"), or null */
const specialAfterS = (c: number): Uint8Array | null => ((c | 0x20) === SCRIPT_END[3] ? SCRIPT_END : (c | 0x20) === STYLE_END[3] ? STYLE_END : null);
const specialAfterT = (c: number): Uint8Array | null => {
  const lower = c | 0x20;
  return lower === TITLE_END[3] ? TITLE_END : lower === TEXTAREA_END[3] ? TEXTAREA_END : lower === XMP_END[3] ? XMP_END : null;
};

/**
 * One-character strings for `indexOf`, by char code. Measured: with a string literal there
 * (`buf.indexOf('<', i)`) the optimised loop ran about three times slower than with the same
 * string read from this table, in this function though not in a small one (V8 11.3, Node 20).
 */
const CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

export class HtmlScanner {
  private running = true;

  constructor(private readonly cbs: ScanCallbacks) {}

  /** No callback after the one that calls this (the stock Tokenizer may make a few more in the same state). */
  pause(): void {
    this.running = false;
  }

  /** Reads all of `buf`: the stock `write(buf)` then `end()`. */
  run(buf: string): void {
    const cbs = this.cbs;
    const n = buf.length;
    let i = 0;
    let state = TEXT;
    let sectionStart = 0;
    let sequence = CDATA;
    let sequenceIndex = 0;
    let isSpecial = false;
    scan: while (i < n) {
      if (!this.running) return;
      const c = buf.charCodeAt(i);
      switch (state) {
        case TEXT: {
          const at = c === 60 ? i : buf.indexOf(CHAR[60]!, i + 1);
          if (at < 0) {
            i = n;
            continue;
          }
          i = at;
          if (i > sectionStart) {
            cbs.ontext(sectionStart, i);
            if (!this.running) return;
          }
          sectionStart = i;
          // the '<' mostly begins a tag or an end tag: its next character is read in this turn,
          // as "before a tag name" reads a letter or a '/'; anything else takes that state's turn
          const next = i + 1 < n ? buf.charCodeAt(i + 1) : 0;
          if (isAsciiAlpha(next)) {
            i++;
            sectionStart = i;
            state = tagNameState(next);
          } else if (next === 47 /* / */) {
            i++;
            state = BEFORE_CLOSING_TAG_NAME;
          } else state = BEFORE_TAG_NAME;
          break;
        }
        case BEFORE_TAG_NAME:
          if (c === 33 /* ! */) {
            state = BEFORE_DECLARATION;
            sectionStart = i + 1;
          } else if (c === 63 /* ? */) {
            state = IN_PROCESSING_INSTRUCTION;
            sectionStart = i + 1;
          } else if (isAsciiAlpha(c)) {
            sectionStart = i;
            state = tagNameState(c);
          } else if (c === 47 /* / */) state = BEFORE_CLOSING_TAG_NAME;
          else {
            state = TEXT;
            continue;
          }
          break;
        case IN_TAG_NAME: {
          // nothing happens until the name ends
          let d = c;
          while (!isEndOfTagSection(d)) {
            // a name cut off by the end of the input: the state stays, as the stock one does
            if (++i >= n) continue scan;
            d = buf.charCodeAt(i);
          }
          cbs.onopentagname(sectionStart, i);
          sectionStart = -1;
          state = BEFORE_ATTRIBUTE_NAME;
          continue;
        }
        case BEFORE_CLOSING_TAG_NAME:
          if (isWhitespace(c)) {
            // ignored
          } else if (c === 62 /* > */) state = TEXT;
          else {
            state = isAsciiAlpha(c) ? IN_CLOSING_TAG_NAME : IN_SPECIAL_COMMENT;
            sectionStart = i;
          }
          break;
        case IN_CLOSING_TAG_NAME: {
          let d = c;
          while (d !== 62 && !isWhitespace(d)) {
            // a name cut off by the end of the input: the state stays, as the stock one does
            if (++i >= n) continue scan;
            d = buf.charCodeAt(i);
          }
          cbs.onclosetag(sectionStart, i);
          sectionStart = -1;
          if (!this.running) return;
          // "after the end tag's name": its '>' mostly comes at once
          if (d === 62) {
            state = TEXT;
            sectionStart = i + 1;
            break;
          }
          state = AFTER_CLOSING_TAG_NAME;
          continue;
        }
        case AFTER_CLOSING_TAG_NAME: {
          const at = c === 62 ? i : buf.indexOf(CHAR[62]!, i + 1);
          if (at < 0) {
            i = n;
            continue;
          }
          i = at;
          state = TEXT;
          sectionStart = i + 1;
          break;
        }
        case BEFORE_ATTRIBUTE_NAME: {
          // white space here does nothing: skipped in this turn, not one turn a character
          let d = c;
          while (d < 128 && CLASS[d] === 1) {
            if (++i >= n) continue scan;
            d = buf.charCodeAt(i);
          }
          if (d === 62 /* > */) {
            cbs.onopentagend(i);
            if (isSpecial) {
              state = IN_SPECIAL_TAG;
              sequenceIndex = 0;
            } else state = TEXT;
            sectionStart = i + 1;
          } else if (d === 47 /* / */) state = IN_SELF_CLOSING_TAG;
          else {
            state = IN_ATTRIBUTE_NAME;
            sectionStart = i;
          }
          break;
        }
        case IN_SELF_CLOSING_TAG:
          if (c === 62) {
            cbs.onselfclosingtag(i);
            state = TEXT;
            sectionStart = i + 1;
            // a self-closing special tag is not special
            isSpecial = false;
          } else if (!isWhitespace(c)) {
            state = BEFORE_ATTRIBUTE_NAME;
            continue;
          }
          break;
        case IN_ATTRIBUTE_NAME: {
          let d = c;
          while (d >= 128 || CLASS[d] === 0) {
            // a name cut off by the end of the input: the state stays, as the stock one does
            if (++i >= n) continue scan;
            d = buf.charCodeAt(i);
          }
          cbs.onattribname(sectionStart, i);
          sectionStart = i;
          state = AFTER_ATTRIBUTE_NAME;
          continue;
        }
        case AFTER_ATTRIBUTE_NAME:
          if (c === 61 /* = */) {
            // most values are quoted right after the '=': the quote is read in this turn, as
            // "before a value" would read it, and the value's state goes on from the next character
            const quote = i + 1 < n ? buf.charCodeAt(i + 1) : 0;
            if (quote !== 34 && quote !== 39) {
              state = BEFORE_ATTRIBUTE_VALUE;
              break;
            }
            // the quoted value's state, at the character after the quote
            i += 2;
            sectionStart = i;
            state = quote === 34 ? IN_ATTRIBUTE_VALUE_DQ : IN_ATTRIBUTE_VALUE_SQ;
            continue;
          } else if (c === 47 || c === 62) {
            cbs.onattribend(QUOTE_NONE, sectionStart);
            sectionStart = -1;
            state = BEFORE_ATTRIBUTE_NAME;
            continue;
          } else if (!isWhitespace(c)) {
            cbs.onattribend(QUOTE_NONE, sectionStart);
            state = IN_ATTRIBUTE_NAME;
            sectionStart = i;
          }
          break;
        case BEFORE_ATTRIBUTE_VALUE:
          if (c === 34 /* " */) {
            state = IN_ATTRIBUTE_VALUE_DQ;
            sectionStart = i + 1;
          } else if (c === 39 /* ' */) {
            state = IN_ATTRIBUTE_VALUE_SQ;
            sectionStart = i + 1;
          } else if (!isWhitespace(c)) {
            sectionStart = i;
            state = IN_ATTRIBUTE_VALUE_NQ;
            continue;
          }
          break;
        case IN_ATTRIBUTE_VALUE_DQ:
        case IN_ATTRIBUTE_VALUE_SQ: {
          const quote = state === IN_ATTRIBUTE_VALUE_DQ ? 34 : 39;
          const at = c === quote ? i : buf.indexOf(CHAR[quote]!, i + 1);
          if (at < 0) {
            i = n;
            continue;
          }
          i = at;
          cbs.onattribdata(sectionStart, i);
          sectionStart = -1;
          if (!this.running) return;
          cbs.onattribend(quote === 34 ? QUOTE_DOUBLE : QUOTE_SINGLE, i + 1);
          state = BEFORE_ATTRIBUTE_NAME;
          break;
        }
        case IN_ATTRIBUTE_VALUE_NQ:
          if (isWhitespace(c) || c === 62) {
            cbs.onattribdata(sectionStart, i);
            sectionStart = -1;
            if (!this.running) return;
            cbs.onattribend(QUOTE_UNQUOTED, i);
            state = BEFORE_ATTRIBUTE_NAME;
            continue;
          }
          break;
        case BEFORE_DECLARATION:
          if (c === 91 /* [ */) {
            state = CDATA_SEQUENCE;
            sequenceIndex = 0;
          } else state = c === 45 /* - */ ? BEFORE_COMMENT : IN_DECLARATION;
          break;
        case IN_DECLARATION:
        case IN_PROCESSING_INSTRUCTION:
        case IN_SPECIAL_COMMENT: {
          const at = c === 62 ? i : buf.indexOf(CHAR[62]!, i + 1);
          if (at < 0) {
            i = n;
            continue;
          }
          i = at;
          if (state === IN_DECLARATION) cbs.ondeclaration(sectionStart, i);
          else if (state === IN_PROCESSING_INSTRUCTION) cbs.onprocessinginstruction(sectionStart, i);
          else cbs.oncomment(sectionStart, i, 0);
          state = TEXT;
          sectionStart = i + 1;
          break;
        }
        case BEFORE_COMMENT:
          if (c === 45) {
            state = IN_COMMENT_LIKE;
            sequence = COMMENT_END;
            // "<!-->" is a comment
            sequenceIndex = 2;
            sectionStart = i + 1;
          } else state = IN_DECLARATION;
          break;
        case IN_COMMENT_LIKE:
          if (c === sequence[sequenceIndex]) {
            if (++sequenceIndex === sequence.length) {
              if (sequence === CDATA_END) cbs.oncdata(sectionStart, i, 2);
              else cbs.oncomment(sectionStart, i, 2);
              sequenceIndex = 0;
              sectionStart = i + 1;
              state = TEXT;
            }
          } else if (sequenceIndex === 0) {
            const at = buf.indexOf(CHAR[sequence[0]!]!, i + 1);
            if (at < 0) {
              i = n;
              continue;
            }
            i = at;
            sequenceIndex = 1;
          } else if (c !== sequence[sequenceIndex - 1]) sequenceIndex = 0; // "--->" and "]]]>" end it too
          break;
        case CDATA_SEQUENCE:
          if (c === CDATA[sequenceIndex]) {
            if (++sequenceIndex === CDATA.length) {
              state = IN_COMMENT_LIKE;
              sequence = CDATA_END;
              sequenceIndex = 0;
              sectionStart = i + 1;
            }
          } else {
            sequenceIndex = 0;
            state = IN_DECLARATION;
            continue;
          }
          break;
        case BEFORE_SPECIAL_S:
        case BEFORE_SPECIAL_T: {
          const special = state === BEFORE_SPECIAL_S ? specialAfterS(c) : specialAfterT(c);
          if (special === null) {
            state = IN_TAG_NAME;
            continue;
          }
          isSpecial = true;
          sequence = special;
          sequenceIndex = 4;
          state = SPECIAL_START_SEQUENCE;
          break;
        }
        case SPECIAL_START_SEQUENCE: {
          const isEnd = sequenceIndex === sequence.length;
          // at the sequence's end the name must end; before it, a case-blind match
          const isMatch = isEnd ? isEndOfTagSection(c) : (c | 0x20) === sequence[sequenceIndex];
          if (!isMatch) isSpecial = false;
          else if (!isEnd) {
            sequenceIndex++;
            break;
          }
          sequenceIndex = 0;
          state = IN_TAG_NAME;
          continue;
        }
        case IN_SPECIAL_TAG: {
          if (sequenceIndex === sequence.length) {
            if (c === 62 || isWhitespace(c)) {
              const endOfText = i - sequence.length;
              if (sectionStart < endOfText) cbs.ontext(sectionStart, endOfText);
              isSpecial = false;
              sectionStart = endOfText + 2; // past the '</'
              state = IN_CLOSING_TAG_NAME;
              continue;
            }
            sequenceIndex = 0;
          }
          // `c | 0x20` as the stock state compares: a 0x1c matches '<' there too
          if ((c | 0x20) === sequence[sequenceIndex]) sequenceIndex++;
          else if (sequenceIndex === 0) {
            // outside a title, what cannot begin the end tag is skipped up to the next '<'
            // (the stock fastForwardTo); a title is read a character at a time, as there
            if (sequence !== TITLE_END) {
              const at = buf.indexOf(CHAR[60]!, i + 1);
              if (at < 0) {
                i = n;
                continue;
              }
              i = at;
              sequenceIndex = 1;
            }
          } else sequenceIndex = c === 60 ? 1 : 0; // "<</script>"
          break;
        }
        default:
          throw new Error(`unknown scanner state ${state}`);
      }
      i++;
    }
    if (!this.running) return;
    // the stock `cleanup` at the end of `parse`: text or a value read so far
    if (sectionStart !== n) {
      if (state === TEXT || (state === IN_SPECIAL_TAG && sequenceIndex === 0)) {
        cbs.ontext(sectionStart, n);
        sectionStart = n;
      } else if (state === IN_ATTRIBUTE_VALUE_DQ || state === IN_ATTRIBUTE_VALUE_SQ || state === IN_ATTRIBUTE_VALUE_NQ) {
        cbs.onattribdata(sectionStart, n);
        sectionStart = n;
      }
    }
    if (!this.running) return;
    // the stock `finish`: trailing data, then the end
    if (sectionStart < n) {
      if (state === IN_COMMENT_LIKE) {
        if (sequence === CDATA_END) cbs.oncdata(sectionStart, n, 0);
        else cbs.oncomment(sectionStart, n, 0);
      } else if (
        state !== IN_TAG_NAME &&
        state !== BEFORE_ATTRIBUTE_NAME &&
        state !== BEFORE_ATTRIBUTE_VALUE &&
        state !== AFTER_ATTRIBUTE_NAME &&
        state !== IN_ATTRIBUTE_NAME &&
        state !== IN_ATTRIBUTE_VALUE_SQ &&
        state !== IN_ATTRIBUTE_VALUE_DQ &&
        state !== IN_ATTRIBUTE_VALUE_NQ &&
        state !== IN_CLOSING_TAG_NAME
      ) {
        // an open or end tag cut off by the end of the input is dropped; anything else is text
        cbs.ontext(sectionStart, n);
      }
    }
    if (!this.running) return;
    cbs.onend();
  }
}
