/**
 * Read a response body under two limits, counted while streaming: bytes on the wire, and bytes
 * after content decoding (gzip, deflate, br). A decompression bomb or an endless body is cut as
 * soon as a limit is crossed; what arrived before is kept, so the record still has evidence.
 */
import { createHash } from 'node:crypto';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { CrawlError } from './crawlErrors.js';

export interface BodyLimits {
  maxWireBytes: number;
  maxDecodedBytes: number;
}

export interface BodyResult {
  body: Uint8Array;
  sha256: string;
  wireBytes: number;
  truncated: boolean;
  /** why the body is incomplete; a raw error for the caller to map, or our own CrawlError */
  failure: unknown;
}

/** Zlib output chunk size: also the most a bomb can overshoot the limit by before it is cut. */
const DECODE_CHUNK = 16 * 1024;

/**
 * `deflate` in the wild is either zlib-wrapped (RFC 1950, as the spec says) or raw (RFC 1951, as
 * some servers send it): look at the first two bytes and pick.
 */
function deflateDecoder(): Transform {
  let decoder: Transform | undefined;
  const outer = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!decoder) {
        const zlibHeader = chunk.length >= 2 && (chunk[0]! & 0x0f) === 8 && ((chunk[0]! << 8) | chunk[1]!) % 31 === 0;
        decoder = zlibHeader ? zlib.createInflate({ chunkSize: DECODE_CHUNK }) : zlib.createInflateRaw({ chunkSize: DECODE_CHUNK });
        decoder.on('data', (out: Buffer) => outer.push(out));
        decoder.on('error', (err) => outer.destroy(err));
      }
      if (decoder.write(chunk)) done();
      else decoder.once('drain', () => done());
    },
    flush(done) {
      if (!decoder) return done();
      decoder.once('end', () => done());
      decoder.end();
    },
    destroy(err, done) {
      decoder?.destroy();
      done(err);
    },
  });
  return outer;
}

function decoderFor(contentEncoding: string | undefined): Transform[] {
  // stacked encodings (`gzip, br`) are applied in order, so undo them in reverse
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length > 3) throw new CrawlError('CRAWL_DECOMPRESSION_FAILED', `too many content codings: ${contentEncoding}`);
  return codings.reverse().map((coding) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip({ chunkSize: DECODE_CHUNK });
      case 'deflate':
        return deflateDecoder();
      case 'br':
        return zlib.createBrotliDecompress({ chunkSize: DECODE_CHUNK });
      default:
        throw new CrawlError('CRAWL_DECOMPRESSION_FAILED', `unsupported content coding "${coding}"`);
    }
  });
}

export async function readBody(source: Readable, contentEncoding: string | undefined, limits: BodyLimits, url: string): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  let wireBytes = 0;
  let limitError: CrawlError | undefined;

  const wireCounter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const room = limits.maxWireBytes - wireBytes;
      wireBytes += Math.min(chunk.length, room);
      if (chunk.length > room) {
        limitError = new CrawlError('CRAWL_BODY_TOO_LARGE', `body of ${url} exceeds ${limits.maxWireBytes} bytes on the wire`);
        if (room > 0) this.push(chunk.subarray(0, room));
        return done(limitError);
      }
      done(null, chunk);
    },
  });

  let decoders: Transform[] = [];
  let failure: unknown;
  try {
    decoders = decoderFor(contentEncoding);
  } catch (err) {
    failure = err;
  }
  const compressed = decoders.length > 0;

  const collector = new Writable({
    write(chunk: Buffer, _enc, done) {
      const room = limits.maxDecodedBytes - decodedBytes;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        decodedBytes += Math.max(room, 0);
        limitError ??= compressed
          ? new CrawlError('CRAWL_DECOMPRESSED_TOO_LARGE', `body of ${url} exceeds ${limits.maxDecodedBytes} bytes after decompression`)
          : new CrawlError('CRAWL_BODY_TOO_LARGE', `body of ${url} exceeds ${limits.maxDecodedBytes} bytes`);
        return done(limitError);
      }
      chunks.push(chunk);
      decodedBytes += chunk.length;
      done();
    },
  });

  if (failure === undefined) {
    try {
      await pipeline([source, wireCounter, ...decoders, collector]);
    } catch (err) {
      failure = limitError ?? err;
    }
  } else {
    source.destroy();
  }

  const body = new Uint8Array(Buffer.concat(chunks, decodedBytes));
  return {
    body,
    sha256: createHash('sha256').update(body).digest('hex'),
    wireBytes,
    truncated: failure !== undefined,
    failure,
  };
}
