import { describe, expect, it } from 'vitest';
import { extractDomFeatures } from '../../src/fingerprint/domFeatures.js';
import { familyHash } from '../../src/fingerprint/featureFamily.js';
import { ShingleTable } from '../../src/fingerprint/shingleTable.js';
import { featureHash64 } from '../../src/fingerprint/simhash64.js';
import { TextChunks } from '../../src/fingerprint/textChunks.js';
import { soupOf } from '../support/tagSoup.js';

/**
 * The structure and text families are hashed without spelling their features (tag-path windows
 * by murmur state, words by range): their simhash must be that of the spelt feature map, and the
 * text family's features those of the map route (TextChunks.boilerplateShingles).
 */
const WORDS = ['Torrent', 'download', 'MAGNET', "it's", 'seeders', 'über', 'Straße', 'Добро', 'пожаловать', '日本語', 'naïve', 'x\ud800y', 'a\udc00', 'émoji😀', 'İstanbul', 'ǅemal', 'x'.repeat(41), 'y'.repeat(40), '2024', 'a-b', 'Ｆｕｌｌ'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function textOf(rnd: () => number, words: number): string {
  let t = '';
  for (let i = 0; i < words; i++) t += WORDS[Math.floor(rnd() * WORDS.length)]! + [' ', ', ', '  ', '\n', '-', "'"][Math.floor(rnd() * 6)]!;
  return t;
}

describe('the text family by hash', () => {
  it('has the features, counts and order of the map route, and its simhash', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = lcg(seed);
      const chunks = new TextChunks();
      const counts = [0, 1, 2, 3, 9];
      for (let c = 0; c < 1 + Math.floor(rnd() * 40); c++) chunks.push(Math.floor(rnd() * counts.length), textOf(rnd, Math.floor(rnd() * 12)), rnd() < 0.3);
      const paths = { count: (w: number) => counts[w]! };
      const table = chunks.shingleTable(paths);
      const map = chunks.boilerplateShingles(paths);
      expect([...table.spelt()], `seed ${seed}`).toEqual([...map]);
      expect(table.size).toBe(map.size);
    }
  });

  it('stops at the same word bound as the map route', () => {
    const chunks = new TextChunks();
    for (let c = 0; c < 30; c++) chunks.push(0, `${'alpha beta gamma delta '.repeat(300)}w${'q'.repeat(c % 7)}`, true);
    chunks.push(0, 'after the bound', true);
    const paths = { count: () => 1 };
    expect([...chunks.shingleTable(paths).spelt()]).toEqual([...chunks.boilerplateShingles(paths)]);
  });

  it('grows past the size it was made for, counting as a map does', () => {
    // made for 100 entries (not a power of two), given 1,000 words twice over and their bigrams
    const table = new ShingleTable(100);
    const want = new Map<string, number>();
    const words = Array.from({ length: 1_000 }, (_, i) => `w${i.toString(36)}`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        table.add(featureHash64(w).hi, featureHash64(w).lo, w, 0, w.length, null, 0, 0);
        want.set(w, (want.get(w) ?? 0) + 1);
        if (i > 0) {
          const bigram = `${words[i - 1]!} ${w}`;
          table.add(featureHash64(bigram).hi, featureHash64(bigram).lo, words[i - 1]!, 0, words[i - 1]!.length, w, 0, w.length);
          want.set(bigram, (want.get(bigram) ?? 0) + 1);
        }
      }
    }
    expect([...table.spelt()]).toEqual([...want]);
  });

  it('keeps two features that share a hash apart', () => {
    const table = new ShingleTable();
    table.add(7, 9, 'one', 0, 3, null, 0, 0);
    table.add(7, 9, 'two', 0, 3, null, 0, 0);
    table.add(7, 9, 'xoney', 1, 4, null, 0, 0);
    table.add(7, 9, 'one', 0, 3, 'two', 0, 3);
    expect([...table.spelt()]).toEqual([['one', 2], ['two', 1], ['one two', 1]]);
  });
});

describe('the structure and text families of a page', () => {
  const pieces = ['<div class="a B">', '<div id="x7">', '</div>', '<ul class="nav">', '<li>', '</li>', '</ul>', '<a href="/t/1" class="ünï">', '</a>', '<table>', '<tr>', '<td class="c\ud800">', '</table>', '<nav>', '</nav>', '<p>', '</p>', '<span class="s1 s2 s3 s4">', '</span>', 'Top torrents', ' seeders and leechers ', 'Добро пожаловать', '<h1>', '</h1>', '<label>', '</label>'];

  it('hash to the simhash of their spelt features', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const dom = extractDomFeatures(`<html><body>${soupOf(pieces, seed, 50 + seed * 10)}</body></html>`);
      for (const family of [dom.structure, dom.text, dom.resources]) {
        const spelt = family.spelt();
        expect(family.simhashHex(), `seed ${seed}`).toBe(familyHash(spelt));
        expect(family.size).toBe(spelt.size);
      }
    }
  });

  it('an empty family hashes to zero', () => {
    const dom = extractDomFeatures('');
    expect([dom.structure.size, dom.text.size, dom.resources.size]).toEqual([0, 0, 0]);
    expect(dom.structure.simhashHex()).toBe('0000000000000000');
    expect(dom.text.simhashHex()).toBe('0000000000000000');
  });
});
