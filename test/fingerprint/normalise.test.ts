import { describe, expect, it } from 'vitest';
import { interpretLink, pathShape, stableToken, textWords, urlHost } from '../../src/fingerprint/normalise.js';
import { reference } from './normaliseReference.js';

/**
 * Strings built from pieces that each fold or split differently: digits, hex letters either case,
 * other letters, dots, slashes, query and fragment marks, schemes, escapes good and bad,
 * whitespace, and letters outside ASCII (some of which lower-case to ASCII or to two characters).
 */
const PIECES = ['a', 'F', 'c', 'g', 'G', 'Z', 'x', '0', '7', '42', 'deadbeef', 'ABCDEF12', '.', '.css', '/', '//', '?', '#', '=', '&', ':', '-', '_', '%', '%2F', '%41', '%zz', '%e9', ' ', '\t', 'é', 'İ', 'ß', 'K', '\u212a', 'http:', 'https://', 'FTP:', 'wss:', 'WS:', '@', 'u:p@', 'javascript:', 'mailto:', 'DATA:', 'x'.repeat(41), '9'.repeat(7)];

function generated(seed: number): string {
  let s = seed >>> 0;
  const next = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  let out = '';
  const pieces = 1 + next(12);
  for (let k = 0; k < pieces; k++) out += PIECES[next(PIECES.length)];
  return out;
}

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

  it('fold links and tokens exactly as the regex specification does (normaliseReference.ts)', () => {
    const cases = ['', '/', '/a/B/c', 'rel/1/2', '/x%2F/y', `/${'a'.repeat(301)}`, `/${'b'.repeat(299)}12345`];
    // hosts: case, a trailing dot, ports, userinfo, nothing after the slashes, odd schemes
    cases.push('http://Host.Example./x', 'HTTPS://A.B?c', 'https://h#f', 'http://h:8080/p', '//u:p@h/x', 'https://h:80@x/', 'http://u@h', 'http:///x', 'http://', '//', 'https://.', 'http://a.', 'hTtPs://x:', 'http:/x//y', 'httpx://h', 'http//h', ' http://h', 'http://h ', `http://${'a'.repeat(253)}`, `http://${'a'.repeat(254)}`, `http://${'a'.repeat(253)}./`, 'http://hK/');
    for (let seed = 1; seed <= 20_000; seed++) cases.push(generated(seed));
    for (const c of cases) {
      expect(pathShape(c), c).toBe(reference.pathShape(c));
      expect(interpretLink(c), c).toEqual(reference.interpretLink(c));
      expect(urlHost(c), c).toBe(reference.urlHost(c));
      expect(stableToken(c), c).toBe(reference.stableToken(c));
    }
  });
});
