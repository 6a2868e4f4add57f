import { describe, expect, it } from 'vitest';
import { featureHash64, hamming64, hammingHex, hashToHex, murmur3String, MurmurPairStream, parseSimhashHex, referenceDigest, SimhashAccumulator, simhash64, simhashOf } from '../../src/fingerprint/simhash64.js';

describe('murmur3String', () => {
  it('matches the published MurmurHash3 x86_32 vectors', () => {
    expect(murmur3String('', 0)).toBe(0);
    expect(murmur3String('', 1)).toBe(0x514e28b7);
    expect(murmur3String('test', 0)).toBe(0xba6bd213);
    expect(murmur3String('Hello, world!', 0)).toBe(0xc0363e43);
    expect(murmur3String('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashes non-ASCII text as UTF-8', () => {
    // U+00FC is C3 BC in UTF-8; the vector was computed over those two bytes
    expect(murmur3String('\u00fc', 0)).toBe(0x7840e6aa);
  });

  it('hashes the UTF-8 bytes wherever the first non-ASCII character stands', () => {
    // MurmurHash3 x86_32 written plainly over bytes, as the reference
    const overBytes = (bytes: Uint8Array, seed: number): number => {
      let h = seed >>> 0;
      const mix = (k: number): number => Math.imul(((k = Math.imul(k, 0xcc9e2d51)) << 15) | (k >>> 17), 0x1b873593);
      let i = 0;
      for (; i + 4 <= bytes.length; i += 4) {
        h ^= mix(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
        h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
      }
      let k = 0;
      for (let t = bytes.length - 1; t >= i; t--) k = (k << 8) | bytes[t]!;
      if (bytes.length > i) h ^= mix(k);
      h ^= bytes.length;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    for (const s of ['abcd\u00fc', '\u00fcabcd', 'abcdefg\u20ac', 'abc\u00e9defgh', '\ud83d\ude00 x', 'lone \ud800 half', 'plain ascii text']) {
      expect(murmur3String(s, 7), s).toBe(overBytes(Buffer.from(s, 'utf8'), 7));
    }
  });
});

describe('simhash64', () => {
  it('has fixed vectors (stored reference sets depend on them)', () => {
    expect(hashToHex(featureHash64('div.header'))).toBe(hashToHex(featureHash64('div.header')));
    expect(hashToHex(simhash64([['a', 1]]))).toBe(hashToHex(featureHash64('a')));
    expect(hashToHex(simhash64([['alpha', 1], ['beta', 1], ['gamma', 1]]))).toBe('cc5a36225f24076b');
    expect(hashToHex(simhash64([['alpha', 3], ['beta', 1], ['gamma', 1]]))).toBe('4c2a36061e262f8b');
  });

  it('a heavier feature wins the bits it disagrees on', () => {
    const heavy = simhash64([['alpha', 100], ['beta', 1]]);
    expect(hashToHex(heavy)).toBe(hashToHex(featureHash64('alpha')));
  });

  it('similar feature sets give close hashes, different sets far ones', () => {
    const base = Array.from({ length: 200 }, (_, i) => [`feature-${i}`, 1] as [string, number]);
    const near = [...base.slice(0, 190), ...Array.from({ length: 10 }, (_, i) => [`other-${i}`, 1] as [string, number])];
    const far = Array.from({ length: 200 }, (_, i) => [`unrelated-${i}`, 1] as [string, number]);
    const a = simhash64(base);
    const b = simhash64(near);
    const c = simhash64(far);
    expect(hamming64(a.hi, a.lo, b.hi, b.lo)).toBeLessThan(12);
    expect(hamming64(a.hi, a.lo, c.hi, c.lo)).toBeGreaterThan(16);
  });

  it('round-trips through hex and counts distance on both halves', () => {
    const h = { hi: 0x80000001, lo: 0x00000003 };
    expect(parseSimhashHex(hashToHex(h))).toEqual(h);
    expect(hammingHex('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingHex('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => parseSimhashHex('xyz')).toThrow(TypeError);
  });
});

/** A seeded generator (a failing case names its seed). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe('MurmurPairStream', () => {
  it('fed in pieces, gives the hash of the whole', () => {
    const rnd = lcg(11);
    const out = new Uint32Array(2);
    const stream = new MurmurPairStream();
    const copy = new MurmurPairStream();
    for (let n = 0; n < 300; n++) {
      const length = Math.floor(rnd() * 40);
      const text = String.fromCharCode(...Array.from({ length }, () => Math.floor(rnd() * 128)));
      const whole = featureHash64(text);
      stream.reset();
      let at = 0;
      while (at < length) {
        const piece = Math.min(length - at, Math.floor(rnd() * 7));
        if (piece === 0) stream.feedByte(text.charCodeAt(at++));
        else stream.feed(text, at, (at += piece));
      }
      stream.finish(out);
      expect([out[0], out[1]], `case ${n}`).toEqual([whole.hi, whole.lo]);
      // finishing reads the state without changing it; a copy goes on from the same point
      copy.copyFrom(stream);
      copy.feed('xyz', 0, 3);
      stream.feed('xyz', 0, 3);
      copy.finish(out);
      const after = featureHash64(`${text}xyz`);
      expect([out[0], out[1]], `case ${n}, continued`).toEqual([after.hi, after.lo]);
    }
  });

  it('matches featureHash64 on ASCII and on UTF-8 bytes spelt as latin1', () => {
    const out = new Uint32Array(2);
    const stream = new MurmurPairStream();
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'div#main>ul.nav>li>a', 'stra\u00dfe', '\u65e5\u672c', 'x\ud800y']) {
      const bytes = Buffer.from(s, 'utf8').toString('latin1');
      stream.reset();
      stream.feed(bytes, 0, Math.min(3, bytes.length));
      stream.feed(bytes, Math.min(3, bytes.length), bytes.length);
      stream.finish(out);
      const h = featureHash64(s);
      expect([out[0], out[1]], s).toEqual([h.hi, h.lo]);
    }
  });
});

describe('SimhashAccumulator', () => {
  const digestOf = (features: Array<[number, number, number]>): string => {
    const acc = new SimhashAccumulator();
    for (const [hi, lo, w] of features) acc.addHash(hi, lo, w);
    return hashToHex(acc.digest());
  };
  const referenceOf = (features: Array<[number, number, number]>): string =>
    hashToHex(referenceDigest(features.map((f) => f[0]), features.map((f) => f[1]), features.map((f) => f[2])));

  it('gives the in-order float sums on random features and weights', () => {
    const weights = [1, 1, 1, 2, 3, 1 + Math.log2(3), 1 + Math.log2(5), 1 + Math.log2(6), 17, 63, 64, 0.5, 1000.25];
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = lcg(seed);
      const n = Math.floor(rnd() * (seed % 10 === 0 ? 2000 : 40));
      const features = Array.from({ length: n }, (): [number, number, number] => [(rnd() * 2 ** 32) >>> 0, (rnd() * 2 ** 32) >>> 0, weights[Math.floor(rnd() * weights.length)]!]);
      expect(digestOf(features), `seed ${seed}`).toBe(referenceOf(features));
    }
  });

  it('follows the in-order sum where it rounds, and ties', () => {
    // bit 0: +2^53, then +1 (lost to rounding in order), then -2^53: in order 0, exactly +1
    const rounding: Array<[number, number, number]> = [
      [0x80000000, 0, 2 ** 53],
      [0x80000000, 0, 1],
      [0, 0, 2 ** 53],
    ];
    expect(digestOf(rounding)).toBe(referenceOf(rounding));
    expect(digestOf(rounding).startsWith('0')).toBe(true);
    // weights that cancel to zero exactly, whole and fractional
    const w = 1 + Math.log2(3);
    const ties: Array<[number, number, number]> = [
      [0xffffffff, 0, w],
      [0, 0xffffffff, w],
      [0xf0f0f0f0, 0x0f0f0f0f, 1],
      [0x0f0f0f0f, 0xf0f0f0f0, 1],
    ];
    expect(digestOf(ties)).toBe(referenceOf(ties));
    expect(digestOf(ties)).toBe('0000000000000000');
  });

  it('gives the same digest through simhashOf, which keeps no features and feeds them again only where the exact sums cannot decide', () => {
    const w = 1 + Math.log2(3);
    const cases: Array<Array<[number, number, number]>> = [
      [[0x80000000, 0, 2 ** 53], [0x80000000, 0, 1], [0, 0, 2 ** 53]],
      [[0xffffffff, 0, w], [0, 0xffffffff, w], [0xf0f0f0f0, 0x0f0f0f0f, 1], [0x0f0f0f0f, 0xf0f0f0f0, 1]],
    ];
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = lcg(seed);
      cases.push(Array.from({ length: Math.floor(rnd() * 300) }, (): [number, number, number] => [(rnd() * 2 ** 32) >>> 0, (rnd() * 2 ** 32) >>> 0, [1, 2, w, 0.5][Math.floor(rnd() * 4)]!]));
    }
    let fedTwice = 0;
    for (const features of cases) {
      let feeds = 0;
      const got = simhashOf((acc) => {
        feeds++;
        for (const [hi, lo, wt] of features) acc.addHash(hi, lo, wt);
      });
      if (feeds === 2) fedTwice++;
      expect(hashToHex(got)).toBe(referenceOf(features));
    }
    // the two hand-made cases need the in-order sum
    expect(fedTwice).toBeGreaterThanOrEqual(2);
    // an accumulator that keeps nothing says so rather than guess
    const bare = new SimhashAccumulator(false);
    for (const [hi, lo, wt] of cases[1]!) bare.addHash(hi, lo, wt);
    expect(() => bare.digest()).toThrow(/simhashOf/);
  });

  it('ignores weights that are not positive, as the sum does', () => {
    expect(digestOf([[1, 2, 0], [3, 4, -1], [5, 6, Number.NaN], [0xffffffff, 0xffffffff, 1]])).toBe('ffffffffffffffff');
  });

  it('hashes a string feature as addHash of its featureHash64', () => {
    const a = new SimhashAccumulator();
    const b = new SimhashAccumulator();
    for (const [f, w] of [['alpha', 1], ['\u00fcber', 2.5], ['beta', 4]] as const) {
      a.add(f, w);
      const h = featureHash64(f);
      b.addHash(h.hi, h.lo, w);
    }
    expect(hashToHex(a.digest())).toBe(hashToHex(b.digest()));
    expect(a.size).toBe(3);
  });
});
