/**
 * One GET on an undici Client, read as raw wire bytes through undici's dispatch handler.
 *
 * The body is taken chunk by chunk into a capped buffer and undici is never asked to pause:
 * backpressure from a slow consumer pauses undici 7's HTTP/1 parser, and a peer that closes the
 * connection while it is paused crashes the process (`assert(!this.paused)`, nodejs/undici#5360).
 * Reading through the handler also gives what a WARC record needs and `client.request` hides:
 * the raw header list in wire order and the reason phrase.
 */
import type { Client } from 'undici';
import { CrawlError } from './crawlErrors.js';

export interface WireResponse {
  status: number;
  statusText: string;
  rawHeaders: [string, string][];
  /** body bytes as delivered (transfer framing removed, content coding kept), cut at the limit */
  rawBody: Uint8Array;
  /** false when the body did not arrive in full (limit, timeout, reset); `failure` says why */
  complete: boolean;
  failure: unknown;
}

export interface WireRequest {
  path: string;
  /** header list as sent after undici's own host and connection lines */
  headers: [string, string][];
  signal: AbortSignal;
  maxWireBytes: number;
  /** for messages */
  url: string;
  /** called once the response headers are in, before any body byte */
  onHeaders?: () => void;
}

/** Thrown (rejected) when no response arrived at all; `cause` is what undici reported. */
export class NoResponseError extends Error {
  constructor(readonly reason: unknown) {
    super('no response');
  }
}

function toText(value: Buffer | string | (Buffer | string)[]): string {
  if (Array.isArray(value)) return value.map((v) => toText(v)).join(', ');
  return typeof value === 'string' ? value : value.toString('latin1');
}

/** Pairs from undici's flat `[name, value, name, value, ...]` list, as latin1 text (what HTTP/1 carries). */
export function headerPairs(raw: readonly (Buffer | string | (Buffer | string)[])[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([toText(raw[i]!), toText(raw[i + 1]!)]);
  return pairs;
}

export function requestRaw(client: Client, request: WireRequest): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let response: Omit<WireResponse, 'rawBody' | 'complete' | 'failure'> | undefined;
    let limitError: CrawlError | undefined;
    let abort: ((reason?: Error) => void) | undefined;
    let settled = false;

    const onAbort = (): void => abort?.(new DOMException('aborted', 'AbortError') as unknown as Error);
    const finish = (failure: unknown): void => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      if (!response) return reject(new NoResponseError(failure));
      resolve({ ...response, rawBody: new Uint8Array(Buffer.concat(chunks, wireBytes)), complete: failure === undefined, failure });
    };
    request.signal.addEventListener('abort', onAbort);

    const flat: string[] = [];
    for (const [name, value] of request.headers) flat.push(name, value);
    try {
      client.dispatch(
        { path: request.path, method: 'GET', headers: flat },
        {
          onConnect(abortRequest: (reason?: Error) => void) {
            abort = abortRequest;
            if (request.signal.aborted) onAbort();
          },
          onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string) {
            response = { status: statusCode, statusText: statusText ?? '', rawHeaders: headerPairs(rawHeaders) };
            request.onHeaders?.();
            return true;
          },
          onData(chunk: Buffer) {
            if (limitError) return true;
            const room = request.maxWireBytes - wireBytes;
            if (chunk.length > room) {
              if (room > 0) chunks.push(Buffer.from(chunk.subarray(0, room)));
              wireBytes += Math.max(room, 0);
              limitError = new CrawlError('CRAWL_BODY_TOO_LARGE', `body of ${request.url} exceeds ${request.maxWireBytes} bytes on the wire`);
              abort?.(limitError);
              return true;
            }
            chunks.push(chunk);
            wireBytes += chunk.length;
            // never false: a paused parser is what crashes undici when the peer closes
            return true;
          },
          onComplete() {
            finish(limitError);
          },
          onError(err: Error) {
            finish(limitError ?? err);
          },
        },
      );
    } catch (err) {
      finish(err);
    }
  });
}
