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
