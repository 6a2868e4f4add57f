import { describe, expect, it } from 'vitest';
import { CopyrightSigns } from '../../src/fingerprint/copyrightSigns.js';

/** Footer-like text from pieces: signs in any case, years, ranges, names, stops, bars, white space, and near-signs. */
const PIECES = ['©', '&copy;', '&COPY;', '(c)', '(C)', '( c)', 'copyright', 'COPYRIGHT', 'CopyRight', 'copy', 'right', '2011', '2017', '-', '–', ' ', '  ', '\n', '\t', '.', '|', ',', 'Harbor', 'Site Name', 'x', 'All rights reserved', '(', 'c', ')'];

function footer(seed: number): string {
  let s = seed >>> 0;
  let out = '';
  for (let k = 4 + (seed % 20); k > 0; k--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out += PIECES[(s >>> 16) % PIECES.length];
  }
  return out;
}

const SIGN = /(?:©|&copy;|\(c\)|copyright)\s*/gi;
const NAME = /(?:©|&copy;|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*\d{4})?)?\s*([^\n.|]{2,60})/gi;

describe('copyright signs', () => {
  it('finds every sign, and the matches of a sign-led pattern that matchAll finds', () => {
    let named = 0;
    for (let seed = 1; seed <= 5_000; seed++) {
      const text = footer(seed);
      const signs = new CopyrightSigns(text);
      const found: number[][] = [];
      for (let k = 0; signs.has(k); k++) found.push([signs.start(k), signs.end(k)]);
      expect(found, JSON.stringify(text)).toEqual([...text.matchAll(SIGN)].map((m) => [m.index, m.index + m[0].length]));
      for (const max of [1, 3, 20]) {
        const got = signs.matches(new RegExp(NAME.source, 'iy'), max).map((m) => [m.index, m[0], m[1]]);
        const want = [...text.matchAll(NAME)].slice(0, max).map((m) => [m.index, m[0], m[1]]);
        expect(got, JSON.stringify(text)).toEqual(want);
        if (max === 20) named += want.length;
      }
    }
    // the pieces make names often enough for the comparison to mean something
    expect(named).toBeGreaterThan(2_000);
  });

  it('wants a sticky pattern', () => {
    expect(() => new CopyrightSigns('© x').matches(/©/g, 1)).toThrow(TypeError);
  });
});
