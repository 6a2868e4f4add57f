import { describe, expect, it } from 'vitest';
import { featureHash64, hamming64, hammingHex, hashToHex, murmur3String, parseSimhashHex, simhash64 } from '../../src/fingerprint/simhash64.js';

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
