/**
 * Markup made of the given pieces in a seeded order (a linear congruential generator, so that a
 * failing case names its seed): the tag soup the tokenizer tests compare htmlparser2 against.
 */
export function soupOf(pieces: readonly string[], seed: number, length: number): string {
  let s = seed >>> 0;
  let html = '';
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    html += pieces[s % pieces.length];
  }
  return html;
}

/** `count` strings of `length` characters drawn from `alphabet` by one seeded generator (the one soupOf uses). */
export function randomMarkup(alphabet: string, seed: number, count: number, length: number): string[] {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let doc = 0; doc < count; doc++) {
    let html = '';
    for (let i = 0; i < length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      html += alphabet[(s >>> 8) % alphabet.length];
    }
    out.push(html);
  }
  return out;
}
