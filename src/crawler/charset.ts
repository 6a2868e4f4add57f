/**
 * Which encoding a body is in, in the order the WHATWG encoding sniffing algorithm uses: a BOM,
 * then the Content-Type charset, then a `<meta charset>` / `http-equiv` in the first bytes, then
 * a default. Node's TextDecoder (full ICU) decodes windows-1251, Shift_JIS, GBK and friends.
 */
import { decodeUtf32, utf32Bom, utf32Label } from '../text/utf32.js';
import type { CharsetSource } from './types.js';

/** How far into the body a `<meta charset>` is looked for; the spec says 1024, real pages put it later. */
const META_SCAN_BYTES = 4096;

/** A label TextDecoder accepts, normalised to its canonical name, or null. */
export function canonicalCharset(label: string): string | null {
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, '')).encoding;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m ? (utf32Label(m[2]!) ?? canonicalCharset(m[2]!)) : null;
}

function charsetFromBom(body: Uint8Array): string | null {
  const bom32 = utf32Bom(body);
  if (bom32) return bom32;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return null;
}

function charsetFromMeta(body: Uint8Array): string | null {
  // latin1 keeps every byte as one char, so ASCII markup is readable whatever the real encoding
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, META_SCAN_BYTES)).toString('latin1');
  for (const tag of head.matchAll(/<meta\b[^>]*>/gi)) {
    const text = tag[0];
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(text);
    if (direct) {
      let label = canonicalCharset(direct[1]!);
      // a page that says utf-16 in ASCII markup is not utf-16 (spec: use utf-8)
      if (label === 'utf-16le' || label === 'utf-16be') label = 'utf-8';
      if (label) return label;
    }
  }
  return null;
}

export function detectCharset(body: Uint8Array, contentType: string | null | undefined, isHtml: boolean): { charset: string; source: CharsetSource } {
  const bom = charsetFromBom(body);
  if (bom) return { charset: bom, source: 'bom' };
  const header = charsetFromContentType(contentType);
  if (header) return { charset: header, source: 'header' };
  if (isHtml) {
    const meta = charsetFromMeta(body);
    if (meta) return { charset: meta, source: 'meta' };
  }
  return { charset: 'utf-8', source: 'default' };
}

/** Decode a body with a detected charset; malformed bytes become U+FFFD, never an exception. */
export function decodeBody(body: Uint8Array, charset: string): string {
  const wide = utf32Label(charset);
  if (wide) return decodeUtf32(body, wide);
  try {
    return new TextDecoder(charset, { fatal: false }).decode(body);
  } catch {
    return new TextDecoder('utf-8', { fatal: false }).decode(body);
  }
}
