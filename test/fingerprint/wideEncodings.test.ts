import { describe, expect, it } from 'vitest';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { harborListing } from '../fixtures/pageFamily.js';

/** A page in UTF-16 or UTF-32, with or without its BOM, as mirror generators sometimes save it. */
function encode(text: string, encoding: 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be', bom: boolean): Uint8Array {
  const cps = [...(bom ? '\ufeff' : ''), ...text].map((c) => c.codePointAt(0)!);
  if (encoding.startsWith('utf-16')) {
    const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
    if (encoding === 'utf-16le') return le;
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  }
  const out = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (encoding === 'utf-32le' ? out.writeUInt32LE(cp, i * 4) : out.writeUInt32BE(cp, i * 4)));
  return out;
}

describe('pages in UTF-16 and UTF-32 are decoded before the binary test', () => {
  const page = harborListing({ host: 'mirror.example', seed: 3 });
  const plain = fingerprintPage({ body: page });

  it.each([
    ['utf-16le', true, undefined],
    ['utf-16be', true, undefined],
    ['utf-16le', false, 'text/html; charset=utf-16le'],
    ['utf-16be', false, 'text/html; charset=UTF-16BE'],
    ['utf-32le', true, undefined],
    ['utf-32be', true, undefined],
    ['utf-32le', false, 'text/html; charset=utf-32le'],
  ] as const)('%s (BOM %s, Content-Type %s) fingerprints like the UTF-8 page', (encoding, bom, contentType) => {
    const fp = fingerprintPage({ body: encode(page, encoding, bom), ...(contentType ? { contentType } : {}) });
    expect(fp.pageKind).toBe('ok');
    expect(fp.title).toBe(plain.title);
    expect(fp.simhash).toEqual(plain.simhash);
    expect(fp.identifiers).toEqual(plain.identifiers);
  });

  it('real binary is still not-html, and UTF-16 that decodes to garbage is too', () => {
    const noise = new Uint8Array(8192).map((_, i) => (i * 7919) % 256);
    expect(fingerprintPage({ body: noise, contentType: 'text/html' }).pageKind).toBe('not-html');
    expect(fingerprintPage({ body: Uint8Array.from([0xff, 0xfe, ...noise]), contentType: 'text/html' }).pageKind).toBe('not-html');
  });
});
