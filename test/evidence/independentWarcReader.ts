/**
 * A WARC reader that shares no code with warcio or with hopwatch's writer: gunzip one member at a
 * time (zlib stops at the end of a member and reports how many input bytes it used), then split
 * each record into its header lines and its block by Content-Length. If this and warcio agree,
 * the file is not something only our own library can read.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export interface IndependentRecord {
  version: string;
  headers: Map<string, string>;
  block: Buffer;
  /** sha256:<hex> of the block */
  blockSha256: string;
  /** byte offset of this record's gzip member in the file */
  memberOffset: number;
}

/** Inflate one gzip member starting at `offset`: its bytes and how long the member was. */
function gunzipMember(file: Buffer, offset: number): { data: Buffer; length: number } {
  // a raw inflate over the member's deflate stream, after parsing the gzip header by hand (RFC 1952)
  if (file[offset] !== 0x1f || file[offset + 1] !== 0x8b || file[offset + 2] !== 8) throw new Error(`no gzip member at ${offset}`);
  const flags = file[offset + 3]!;
  let p = offset + 10;
  if (flags & 4) p += 2 + file.readUInt16LE(p);
  if (flags & 8) while (file[p++] !== 0);
  if (flags & 16) while (file[p++] !== 0);
  if (flags & 2) p += 2;
  const inflate = zlib.inflateRawSync(file.subarray(p), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  const used = inflate.engine.bytesWritten;
  const trailer = p + used;
  const crc = file.readUInt32LE(trailer);
  const size = file.readUInt32LE(trailer + 4);
  if (size !== inflate.buffer.length % 2 ** 32) throw new Error(`gzip member at ${offset}: ISIZE ${size} but ${inflate.buffer.length} bytes`);
  if (crc !== zlib.crc32(inflate.buffer)) throw new Error(`gzip member at ${offset}: CRC mismatch`);
  return { data: inflate.buffer, length: trailer + 8 - offset };
}

export function readWarcIndependently(bytes: Uint8Array): IndependentRecord[] {
  const file = Buffer.from(bytes);
  const records: IndependentRecord[] = [];
  let offset = 0;
  while (offset < file.length) {
    const { data, length } = gunzipMember(file, offset);
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`record at ${offset}: no end of headers`);
    const [version, ...lines] = data.subarray(0, end).toString('utf8').split('\r\n');
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const contentLength = Number(headers.get('content-length'));
    const block = data.subarray(end + 4, end + 4 + contentLength);
    if (block.length !== contentLength) throw new Error(`record at ${offset}: block shorter than Content-Length`);
    if (data.subarray(end + 4 + contentLength).toString('latin1') !== '\r\n\r\n') throw new Error(`record at ${offset}: not ended by CRLF CRLF`);
    records.push({ version: version!, headers, block, blockSha256: `sha256:${createHash('sha256').update(block).digest('hex')}`, memberOffset: offset });
    offset += length;
  }
  return records;
}
