/**
 * Undo a response's Content-Encoding (gzip, x-gzip, deflate, br; at most three stacked) on raw
 * body bytes that have already been read in full, under a limit on decoded bytes.
 *
 * Decoding happens after the wire read, never while undici is still delivering: a decoder slower
 * than the socket applies backpressure, undici pauses its parser, and a server that then closes
 * the connection crashes undici 7.x (`assert(!this.paused)`, nodejs/undici#5360; no 7.x release
 * carries the fix). Reading raw bytes first is also what the evidence package records.
 *
 * A decompression bomb is cut as soon as the limit is crossed; what was decoded before is kept.
 */
import zlib from 'node:zlib';
import { CrawlError } from './crawlErrors.js';

export type ContentCoding = 'gzip' | 'deflate' | 'br';

export interface DecodeResult {
  body: Uint8Array;
  /** why the body is incomplete; a raw zlib error for the caller to map, or our own CrawlError */
  failure: unknown;
}

/** Stacked codings beyond this are refused: no real server sends more, a hostile one sends hundreds. */
export const MAX_STACKED_CODINGS = 3;

/** Zlib output chunk size: also the most a bomb can overshoot the limit by before it is cut. */
const DECODE_CHUNK = 16 * 1024;

/**
 * The codings of a Content-Encoding header in the order to undo them (the reverse of the order
 * they were applied). Throws CRAWL_UNSUPPORTED_ENCODING for an unknown coding or too many.
 */
export function codingsToUndo(contentEncoding: string | undefined): ContentCoding[] {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length > MAX_STACKED_CODINGS) {
    throw new CrawlError('CRAWL_UNSUPPORTED_ENCODING', `${codings.length} stacked content codings (at most ${MAX_STACKED_CODINGS} are decoded)`, {
      details: { contentEncoding: (contentEncoding ?? '').slice(0, 200) },
    });
  }
  return codings.reverse().map((coding): ContentCoding => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return 'gzip';
      case 'deflate':
        return 'deflate';
      case 'br':
        return 'br';
      default:
        throw new CrawlError('CRAWL_UNSUPPORTED_ENCODING', `unsupported content coding "${coding.slice(0, 40)}"`, { details: { coding: coding.slice(0, 40) } });
    }
  });
}

/**
 * `deflate` in the wild is either zlib-wrapped (RFC 1950, as the spec says) or raw (RFC 1951, as
 * some servers send it): the first two bytes tell which.
 */
function hasZlibHeader(input: Uint8Array): boolean {
  return input.length >= 2 && (input[0]! & 0x0f) === 8 && ((input[0]! << 8) | input[1]!) % 31 === 0;
}

function decoderFor(coding: ContentCoding, input: Uint8Array, inputComplete: boolean): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  // a cut input (wire limit, timeout) is flushed rather than finished, so the part that arrived
  // decodes without an "unexpected end of file"; the wire failure is what the record reports
  const flush = inputComplete ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
  switch (coding) {
    case 'gzip':
      return zlib.createGunzip({ chunkSize: DECODE_CHUNK, finishFlush: flush });
    case 'deflate':
      return hasZlibHeader(input)
        ? zlib.createInflate({ chunkSize: DECODE_CHUNK, finishFlush: flush })
        : zlib.createInflateRaw({ chunkSize: DECODE_CHUNK, finishFlush: flush });
    case 'br':
      return zlib.createBrotliDecompress({
        chunkSize: DECODE_CHUNK,
        finishFlush: inputComplete ? zlib.constants.BROTLI_OPERATION_FINISH : zlib.constants.BROTLI_OPERATION_FLUSH,
      });
  }
}

interface LayerResult {
  out: Buffer;
  overflow: boolean;
  error: unknown;
}

function undoLayer(coding: ContentCoding, input: Uint8Array, cap: number, inputComplete: boolean): Promise<LayerResult> {
  if (input.length === 0) return Promise.resolve({ out: Buffer.alloc(0), overflow: false, error: undefined });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    let settled = false;
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      resolve({ out: Buffer.concat(chunks, size), overflow, error });
    };
    let decoder: ReturnType<typeof decoderFor>;
    try {
      decoder = decoderFor(coding, input, inputComplete);
    } catch (err) {
      return finish(err);
    }
    decoder.on('data', (chunk: Buffer) => {
      if (overflow) return;
      const room = cap - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        overflow = true;
        decoder.destroy();
        finish(undefined);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    // every decoder has its error listener: a corrupt body is a typed result, never a crash
    decoder.on('error', (err) => finish(err));
    decoder.on('end', () => finish(undefined));
    decoder.on('close', () => finish(undefined));
    decoder.end(input);
  });
}

/**
 * Decode `raw` (a whole body, or the part of it that arrived when `inputComplete` is false).
 * Never throws: an unknown coding, a corrupt stream or a bomb come back as `failure`.
 */
export async function decodeContent(raw: Uint8Array, contentEncoding: string | undefined, maxDecodedBytes: number, inputComplete: boolean, url: string): Promise<DecodeResult> {
  let codings: ContentCoding[];
  try {
    codings = codingsToUndo(contentEncoding);
  } catch (err) {
    return { body: new Uint8Array(0), failure: err };
  }
  if (codings.length === 0) {
    if (raw.length <= maxDecodedBytes) return { body: raw, failure: undefined };
    return {
      body: raw.subarray(0, maxDecodedBytes),
      failure: new CrawlError('CRAWL_BODY_TOO_LARGE', `body of ${url} exceeds ${maxDecodedBytes} bytes`),
    };
  }
  let data: Uint8Array = raw;
  let complete = inputComplete;
  let failure: unknown;
  for (const coding of codings) {
    const layer = await undoLayer(coding, data, maxDecodedBytes, complete);
    data = layer.out;
    if (layer.overflow) {
      failure ??= new CrawlError('CRAWL_DECOMPRESSED_TOO_LARGE', `body of ${url} exceeds ${maxDecodedBytes} bytes after decompression`);
      complete = false;
    } else if (layer.error !== undefined) {
      failure ??= layer.error;
      complete = false;
    }
  }
  return { body: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), failure };
}
