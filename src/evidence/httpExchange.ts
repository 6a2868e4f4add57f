/**
 * TEMPORARY copy of the crawler's `HttpExchange` (issue 8 adds it to src/crawler/types.ts on the
 * `hostile` branch). Delete this file and import from '../crawler/types.js' once that is merged.
 */
import type { TlsDetails } from '../crawler/types.js';

/** One HTTP request and its response as they crossed the wire: what a WARC request/response pair records. */
export interface HttpExchange {
  url: string;
  method: 'GET';
  requestHeaders: [string, string][];
  startedAt: string;
  status: number | null;
  statusText: string;
  httpVersion: string;
  responseHeaders: [string, string][];
  rawBody: Uint8Array;
  rawBodyTruncated: boolean;
  remoteAddress: string | null;
  remotePort: number | null;
  tls: TlsDetails | null;
}
