import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/fingerprint/decodeBody.js';

describe('decodeBody', () => {
  it('honours the Content-Type charset (windows-1251)', () => {
    // "Привет" in windows-1251
    const bytes = Uint8Array.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    expect(decodeBody(bytes, 'text/html; charset=windows-1251')).toMatchObject({ text: 'Привет', charset: 'windows-1251', charsetSource: 'header' });
  });

  it('finds a <meta charset> in the first 1024 bytes (Shift_JIS)', () => {
    const head = Buffer.from('<html><head><meta charset="shift_jis"></head><body>', 'latin1');
    // "日本" in Shift_JIS
    const body = Buffer.concat([head, Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('</body></html>')]);
    const d = decodeBody(new Uint8Array(body));
    expect(d.charset).toBe('shift_jis');
    expect(d.text).toContain('日本');
  });

  it('a BOM wins over everything', () => {
    const d = decodeBody(Uint8Array.from([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'text/html; charset=windows-1251');
    expect(d).toMatchObject({ text: 'hi', charsetSource: 'bom' });
  });

  it('an unknown charset label falls back to UTF-8 instead of failing', () => {
    expect(decodeBody(Buffer.from('héllo'), 'text/html; charset=x-no-such-thing')).toMatchObject({ text: 'héllo', charset: 'utf-8' });
  });
});
