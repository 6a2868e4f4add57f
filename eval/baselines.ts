import { createRequire } from 'node:module';
import { load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { NearestReference } from './metrics.js';

/**
 * The two baselines the issue asks for, each reduced to "hash a page" and "distance between two
 * hashes"; the evaluation names the nearest reference's site when it is within a threshold.
 *
 * Both packages are CommonJS without types: they are loaded with createRequire and given the
 * narrow types below, so nothing ambient leaks into the project's type space.
 */

const require = createRequire(import.meta.url);

interface SimHashJs {
  hash(input: string): number | undefined;
}
const { SimHash } = require('simhash-js') as { SimHash: new (options?: { kshingles?: number; maxFeatures?: number }) => SimHashJs };

interface TlshDigest {
  calculateDifference(other: TlshDigest, lengthDiff: boolean): number;
}
const tlshHash = require('tlsh') as (data: string) => string;
const DigestHashBuilder = require('tlsh/lib/digests/digest-hash-builder') as new () => { withHash(hash: string): { build(): TlshDigest } };

export interface Baseline<H> {
  name: string;
  /** what the baseline hashes, in a few words, for the report */
  input: string;
  /** the fixed threshold a user of the tool would pick without this data set, and where it comes from */
  conventionalThreshold: number;
  conventionalSource: string;
  /** null when the page cannot be hashed (too short, too simple) */
  hash(body: Uint8Array): H | null;
  distance(a: H, b: H): number;
}

/** Population count of a 32-bit value (SWAR). */
export function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * simhash-js 1.0.0 over the raw HTML decoded as UTF-8, with its defaults (4-character chunks,
 * 128 "features"). Its output is 32 bits. Its `Comparator.hammingDistance` is not used: it shifts
 * a 32-bit value by 32 (a no-op in JavaScript), so it counts every differing bit twice, and it
 * uses signed shifts; the distance here is a plain popcount of the XOR.
 */
export const simhashJsBaseline: Baseline<number> = {
  name: 'simhash-js 1.0.0 (32-bit, raw HTML)',
  input: 'raw HTML (UTF-8), simhash-js defaults',
  conventionalThreshold: 3,
  conventionalSource: 'k = 3 differing bits, the near-duplicate threshold of Manku et al. (2007)',
  hash(body) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    if (text.length === 0) return null;
    const h = new SimHash().hash(text);
    return typeof h === 'number' && Number.isFinite(h) ? h >>> 0 : null;
  },
  distance(a, b) {
    return popcount32(a ^ b);
  },
};

/**
 * dnstwist's page normalisation before fuzzy hashing (`UrlOpener._normalize`): on the raw bytes,
 * collapse runs of ASCII whitespace to one space (Python `b' '.join(content.split())`), empty every
 * `action="…"`, `src="…"`, `href="…"` value and every `url(…)`, case-insensitively. Bytes are
 * carried as a latin1 string so that each character is one byte, as in Python.
 */
export function normaliseHtmlLikeDnstwist(body: Uint8Array): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  return bytes
    .split(/[ \t\n\r\x0b\x0c]+/)
    .filter((part) => part !== '')
    .join(' ')
    .replace(/(action|src|href)="[^"]+"/gi, (m) => `${m.split('=')[0]}=""`)
    .replace(/url\([^)]+\)/gi, 'url()');
}

/**
 * TLSH (the `tlsh` npm port: 1-byte checksum, 512-byte minimum input) over dnstwist-normalised
 * HTML, distance with the length component included (TLSH's default `diff`).
 */
export const tlshBaseline: Baseline<TlshDigest> = {
  name: 'TLSH (dnstwist-normalised HTML)',
  input: 'HTML normalised as dnstwist does, tlsh npm 1.0.8',
  conventionalThreshold: 100,
  conventionalSource: 'distance ≤ 100, the operating point of the TLSH paper (cut-off 100: 94.5% detection, 6.4% false positives on its data)',
  hash(body) {
    const normalised = normaliseHtmlLikeDnstwist(body);
    try {
      return new DigestHashBuilder().withHash(tlshHash(normalised)).build();
    } catch {
      // InsufficientComplexityError: under 512 bytes or too few distinct triplets.
      return null;
    }
  },
  distance(a, b) {
    return a.calculateDifference(b, true);
  },
};

export interface HashedReference<H> {
  site: string;
  reference: string;
  hash: H;
}

/** Linear nearest-reference search (the corpus is tiny); the first reference wins a tie. */
export function nearestReference<H>(baseline: Baseline<H>, hash: H | null, references: ReadonlyArray<HashedReference<H>>): NearestReference | null {
  if (hash === null) return null;
  let best: NearestReference | null = null;
  for (const ref of references) {
    const distance = baseline.distance(hash, ref.hash);
    if (best === null || distance < best.distance) best = { site: ref.site, reference: ref.reference, distance };
  }
  return best;
}

/**
 * The simplest structural method: the set of tag-path 3-grams of a page (for every element, its
 * own tag and its two nearest ancestors' tags, no attributes), compared by Jaccard similarity.
 * Distance = round(1000 × (1 − Jaccard)), so thresholds are integers like the other baselines'.
 * Conventional threshold: Jaccard ≥ 0.5 (distance ≤ 500), "at least half the shapes shared".
 */
export const tagPathJaccardBaseline: Baseline<Set<string>> = {
  name: 'tag-path 3-gram Jaccard',
  input: 'tag names of each element and its two nearest ancestors (cheerio parse), as a set',
  conventionalThreshold: 500,
  conventionalSource: 'Jaccard ≥ 0.5: at least half of the two pages\' tag-path shapes shared',
  hash(body) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    const $ = load(text, { scriptingEnabled: false });
    const grams = new Set<string>();
    const stack: Array<{ node: AnyNode; up: string[] }> = [{ node: $.root()[0]!, up: [] }];
    let visited = 0;
    while (stack.length > 0 && visited < 200_000) {
      const { node, up } = stack.pop()!;
      visited++;
      let path = up;
      if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        path = [...up.slice(-2), (node as Element).name];
        grams.add(path.join('>'));
      }
      for (const child of (node as unknown as { children?: AnyNode[] }).children ?? []) stack.push({ node: child, up: path });
    }
    return grams.size === 0 ? null : grams;
  },
  distance(a, b) {
    let shared = 0;
    for (const g of a) if (b.has(g)) shared++;
    const union = a.size + b.size - shared;
    return union === 0 ? 0 : Math.round(1000 * (1 - shared / union));
  },
};
