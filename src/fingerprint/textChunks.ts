import { isAscii } from '../text/ascii.js';
import { doubled } from './doubled.js';
import { asciiWordRanges, textWords } from './normalise.js';
import { ShingleTable } from './shingleTable.js';
import { MurmurPairStream, utf8ByteString } from './simhash64.js';

/** How often a tag path may occur before its text counts as content (listing rows), not template. */
const MAX_TEMPLATE_PATH_OCCURRENCES = 2;
const MAX_TEXT_WORDS = 20_000;

/**
 * Text seen during the pass, kept until the tag-path counts are known: whether a text is template
 * depends on how often its path occurs on the whole page. Parallel arrays, not one object per text.
 */
export class TextChunks {
  private readonly texts: string[] = [];
  /**
   * per text its tag-path window and whether it is template text, as `window * 2 + template`,
   * in a typed array grown by doubling: two arrays of numbers and booleans, pushed a text at a
   * time, had been 2 MB a round over the corpus, measured by heap sampling (windows stay below 2^26)
   */
  private meta = new Int32Array(256);

  /** Text `c` is template text: under a template element, or under a tag path that occurs at most twice. */
  private isRead(c: number, paths: { count(window: number): number }): boolean {
    const meta = this.meta[c]!;
    return (meta & 1) === 1 || paths.count(meta >>> 1) <= MAX_TEMPLATE_PATH_OCCURRENCES;
  }

  push(window: number, text: string, template: boolean): void {
    const c = this.texts.length;
    if (c === this.meta.length) this.meta = doubled(this.meta);
    this.meta[c] = (window << 1) | (template ? 1 : 0);
    this.texts.push(text);
  }

  /**
   * The features of `boilerplateShingles`, counted in a `ShingleTable` by their hash: the same
   * features, counts and order, with no string made per word or bigram. ASCII text (most
   * template text) is read as word ranges of its lower-cased copy; other text by `textWords`,
   * each word hashed over its UTF-8 bytes and compared as itself. A bigram's hash is its first
   * word's murmur state fed a space and the second word.
   */
  shingleTable(paths: { count(window: number): number }): ShingleTable {
    // the table is made at least as big as it will get: over the corpus, 48,495 features came
    // from 355,837 characters of the texts read (0.136 a character), so a third of the
    // characters leaves room for pages with more; a sixth measured the same (11.5-12.0 against
    // 11.4-12.0 ms a round for the table's build)
    let chars = 0;
    for (let c = 0; c < this.texts.length; c++) if (this.isRead(c, paths)) chars += this.texts[c]!.length;
    const table = new ShingleTable(Math.min(chars / 3, 2 * MAX_TEXT_WORDS));
    const unigram = new MurmurPairStream();
    const previous = new MurmurPairStream();
    const bigram = new MurmurPairStream();
    const hash = new Uint32Array(2);
    let wordCount = 0;
    for (let c = 0; c < this.texts.length; c++) {
      if (wordCount >= MAX_TEXT_WORDS) break;
      if (!this.isRead(c, paths)) continue;
      const text = this.texts[c]!;
      if (isAscii(text)) {
        const lower = text.toLowerCase();
        // a new array, not `length = 0` on the last one: measured, emptying it cost more than the allocation
        const ranges: number[] = [];
        asciiWordRanges(lower, ranges, MAX_TEXT_WORDS - wordCount);
        for (let r = 0; r < ranges.length; r += 2) {
          const start = ranges[r]!;
          const end = ranges[r + 1]!;
          unigram.reset();
          unigram.feed(lower, start, end);
          unigram.finish(hash);
          table.add(hash[0]!, hash[1]!, lower, start, end, null, 0, 0);
          if (r > 0) {
            bigram.copyFrom(previous);
            bigram.feedByte(0x20);
            bigram.feed(lower, start, end);
            bigram.finish(hash);
            table.add(hash[0]!, hash[1]!, lower, ranges[r - 2]!, ranges[r - 1]!, lower, start, end);
          }
          previous.copyFrom(unigram);
        }
        wordCount += ranges.length / 2;
      } else {
        const words: string[] = [];
        textWords(text, words, MAX_TEXT_WORDS - wordCount);
        for (let i = 0; i < words.length; i++) {
          const word = words[i]!;
          const bytes = utf8ByteString(word);
          unigram.reset();
          unigram.feed(bytes, 0, bytes.length);
          unigram.finish(hash);
          table.add(hash[0]!, hash[1]!, word, 0, word.length, null, 0, 0);
          if (i > 0) {
            const first = words[i - 1]!;
            bigram.copyFrom(previous);
            bigram.feedByte(0x20);
            bigram.feed(bytes, 0, bytes.length);
            bigram.finish(hash);
            table.add(hash[0]!, hash[1]!, first, 0, first.length, word, 0, word.length);
          }
          previous.copyFrom(unigram);
        }
        wordCount += words.length;
      }
    }
    return table;
  }

  /**
   * Word unigrams and bigrams of template text: text under a tag path that occurs at most twice on
   * the page (listing rows repeat their path dozens of times and change every minute), plus text in
   * navigation, headings, labels and the like wherever it sits.
   */
  boilerplateShingles(paths: { count(window: number): number }): Map<string, number> {
    const out = new Map<string, number>();
    const words: string[] = [];
    for (let c = 0; c < this.texts.length; c++) {
      if (words.length >= MAX_TEXT_WORDS) break;
      if (!this.isRead(c, paths)) continue;
      const start = words.length;
      textWords(this.texts[c]!, words, MAX_TEXT_WORDS);
      for (let i = start; i < words.length; i++) {
        const w = words[i]!;
        out.set(w, (out.get(w) ?? 0) + 1);
        if (i > start) {
          const bigram = `${words[i - 1]} ${w}`;
          out.set(bigram, (out.get(bigram) ?? 0) + 1);
        }
      }
    }
    return out;
  }
}
