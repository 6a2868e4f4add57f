import { describe, expect, it } from 'vitest';
import { interpretLink, pathShape, textWords } from '../../src/fingerprint/normalise.js';

const words = (text: string): string[] => {
  const out: string[] = [];
  textWords(text, out, 100);
  return out;
};

describe('normalisers', () => {
  it('fold a URL path segment by segment, decoding only what is encoded', () => {
    expect(pathShape('/torrent/123456/Some.Name.720p')).toBe('/torrent/*/some.name.#p');
    expect(pathShape('/A%2Fb/c/d')).toBe('/a/b/c/d');
    expect(pathShape('/abc%zz/def')).toBe('/abc%zz/def');
    expect(pathShape('//cdn.example/static/app.9f8e7d6c5b.css')).toBe('/static/*.css');
    expect(pathShape(`/${'x'.repeat(50)}/y`)).toBe('/*/y');
    expect(pathShape('javascript:void(0)')).toBeNull();
  });

  it('cut internal links to their first two segments, counting a decoded slash as a split', () => {
    expect(interpretLink('/torrent/123456/Some.Name.720p')).toEqual({ host: null, shape: '/torrent/*/…' });
    expect(interpretLink('/A%2Fb/c')).toEqual({ host: null, shape: '/a/b/…' });
    expect(interpretLink('/a/b')).toEqual({ host: null, shape: '/a/b' });
    expect(interpretLink('/')).toEqual({ host: null, shape: '/' });
    expect(interpretLink('https://Mirror.Example/x')).toEqual({ host: 'mirror.example', shape: null });
  });

  it('take the same words from ASCII text as from any other', () => {
    expect(words("Don't STOP me-now 42 plain")).toEqual(["don't", 'stop', 'me', 'now', 'plain']);
    expect(words("Don't STOP me-now 42 Ünïcode Straße")).toEqual(["don't", 'stop', 'me', 'now', 'ünïcode', 'straße']);
    expect(words(`${'a'.repeat(41)} ok`)).toEqual(['ok']);
  });
});
