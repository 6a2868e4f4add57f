import { TextDecoder } from 'node:util';
import { decodeUtf32, utf32Bom, utf32Label } from '../text/utf32.js';

/**
 * Bytes to text the way a browser would pick the encoding: BOM first, then the Content-Type
 * charset, then a <meta> charset in the first 1024 bytes, else UTF-8. Legacy encodings
 * (windows-1251, Shift_JIS, GBK, ...) are common on these sites; Node's TextDecoder (full ICU)
 * decodes them. An unknown label falls back to UTF-8 rather than failing the page.
 */
export interface DecodedBody {
  text: string;
  charset: string;
  /** where the charset came from */
  charsetSource: 'bom' | 'header' | 'meta' | 'default';
}

const META_PRESCAN_BYTES = 1024;

export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

function charsetFromMeta(head: string): string | null {
  const direct = /<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)/i.exec(head);
  return direct ? direct[1]!.toLowerCase() : null;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

export function decodeBody(body: Uint8Array | string, contentType?: string): DecodedBody {
  if (typeof body === 'string') return { text: body, charset: 'utf-8', charsetSource: 'default' };
  const bom32 = utf32Bom(body);
  if (bom32) return { text: decodeUtf32(body, bom32), charset: bom32, charsetSource: 'bom' };
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(body.subarray(3)), charset: 'utf-8', charsetSource: 'bom' };
  if (body[0] === 0xff && body[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(body.subarray(2)), charset: 'utf-16le', charsetSource: 'bom' };
  if (body[0] === 0xfe && body[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(body.subarray(2)), charset: 'utf-16be', charsetSource: 'bom' };

  const fromHeader = charsetFromContentType(contentType);
  const header32 = fromHeader ? utf32Label(fromHeader) : null;
  if (header32) return { text: decodeUtf32(body, header32), charset: header32, charsetSource: 'header' };
  if (fromHeader) {
    const d = decoderFor(fromHeader);
    if (d) return { text: d.decode(body), charset: d.encoding, charsetSource: 'header' };
  }
  // latin1 maps bytes 1:1, so the ASCII meta tag is found whatever the real encoding is
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, META_PRESCAN_BYTES)).toString('latin1');
  const fromMeta = charsetFromMeta(head);
  if (fromMeta) {
    // a page that says utf-16 in ASCII cannot be utf-16: browsers treat that as utf-8 too
    const label = fromMeta.startsWith('utf-16') ? 'utf-8' : fromMeta;
    const d = decoderFor(label);
    if (d) return { text: d.decode(body), charset: d.encoding, charsetSource: 'meta' };
  }
  return { text: new TextDecoder('utf-8').decode(body), charset: 'utf-8', charsetSource: 'default' };
}
