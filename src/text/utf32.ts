/**
 * UTF-32, which the WHATWG Encoding Standard (and so TextDecoder) leaves out but some mirror
 * generators emit with a BOM. Invalid code points become U+FFFD, never an exception.
 */
export type Utf32Label = 'utf-32le' | 'utf-32be';

export function utf32Label(label: string): Utf32Label | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (l === 'utf-32le' || l === 'utf-32' || l === 'utf32' || l === 'ucs-4le') return 'utf-32le';
  if (l === 'utf-32be' || l === 'ucs-4be' || l === 'ucs-4') return 'utf-32be';
  return null;
}

/** The BOM's encoding, if the body starts with a UTF-32 one (checked before UTF-16: FF FE 00 00 starts like FF FE). */
export function utf32Bom(body: Uint8Array): Utf32Label | null {
  if (body[0] === 0xff && body[1] === 0xfe && body[2] === 0x00 && body[3] === 0x00) return 'utf-32le';
  if (body[0] === 0x00 && body[1] === 0x00 && body[2] === 0xfe && body[3] === 0xff) return 'utf-32be';
  return null;
}

export function decodeUtf32(body: Uint8Array, label: Utf32Label): string {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const little = label === 'utf-32le';
  const parts: string[] = [];
  let chunk: number[] = [];
  const start = utf32Bom(body) === label ? 4 : 0;
  for (let i = start; i + 4 <= body.byteLength; i += 4) {
    const cp = view.getUint32(i, little);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  if (body.byteLength % 4 !== 0) chunk.push(0xfffd);
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}
