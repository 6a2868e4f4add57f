import { textWords } from './normalise.js';

/** How often a tag path may occur before its text counts as content (listing rows), not template. */
const MAX_TEMPLATE_PATH_OCCURRENCES = 2;
const MAX_TEXT_WORDS = 20_000;

/**
 * Text seen during the pass, kept until the tag-path counts are known: whether a text is template
 * depends on how often its path occurs on the whole page. Parallel arrays, not one object per text.
 */
export class TextChunks {
  private readonly windows: number[] = [];
  private readonly texts: string[] = [];
  private readonly template: boolean[] = [];

  push(window: number, text: string, template: boolean): void {
    this.windows.push(window);
    this.texts.push(text);
    this.template.push(template);
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
      if (!this.template[c] && paths.count(this.windows[c]!) > MAX_TEMPLATE_PATH_OCCURRENCES) continue;
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
