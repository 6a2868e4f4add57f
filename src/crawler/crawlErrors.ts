/**
 * The crawler's errors: one class, a closed set of stable codes (listed in docs/errors.md), and
 * one function that turns whatever undici, node:net, node:tls, node:dns or zlib threw into one
 * of them, so callers branch on `code` and `action`, never on message text.
 */
import { HopwatchError, type ErrorAction } from '../errors.js';

export const CRAWL_ERROR_ACTIONS = {
  CRAWL_INVALID_URL: 'give-up',
  CRAWL_SSRF_BLOCKED: 'give-up',
  CRAWL_DNS_NXDOMAIN: 'give-up',
  CRAWL_DNS_NO_ADDRESS: 'give-up',
  CRAWL_DNS_FAILED: 'retry',
  CRAWL_CONNECT_REFUSED: 'retry',
  CRAWL_CONNECTION_RESET: 'retry',
  CRAWL_TIMEOUT: 'retry',
  CRAWL_ABORTED: 'give-up',
  CRAWL_TLS_FAILED: 'give-up',
  CRAWL_PROTOCOL_ERROR: 'give-up',
  CRAWL_HEADERS_TOO_LARGE: 'give-up',
  CRAWL_BODY_TOO_LARGE: 'give-up',
  CRAWL_DECOMPRESSED_TOO_LARGE: 'give-up',
  CRAWL_DECOMPRESSION_FAILED: 'give-up',
  CRAWL_UNSUPPORTED_ENCODING: 'give-up',
  CRAWL_TOO_MANY_REDIRECTS: 'give-up',
  CRAWL_REDIRECT_LOOP: 'give-up',
  CRAWL_NETWORK_ERROR: 'retry',
  CRAWL_CLOSED: 'give-up',
} as const satisfies Record<string, ErrorAction>;

export type CrawlErrorCode = keyof typeof CRAWL_ERROR_ACTIONS;

export class CrawlError extends HopwatchError {
  declare readonly code: CrawlErrorCode;

  constructor(code: CrawlErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, { ...options, action: CRAWL_ERROR_ACTIONS[code] });
    this.name = 'CrawlError';
  }
}

export function isCrawlError(err: unknown): err is CrawlError {
  return err instanceof CrawlError;
}

/** Plain data for a FetchRecord: what failed, in a form that survives JSON. */
export interface CrawlErrorInfo {
  code: CrawlErrorCode;
  message: string;
  action: ErrorAction;
}

export function errorInfo(err: CrawlError): CrawlErrorInfo {
  return { code: err.code, message: err.message, action: err.action };
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The first CrawlError in the cause chain: ours may be wrapped by undici or node:net. */
function findCrawlError(err: unknown): CrawlError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (isCrawlError(current)) return current;
    current = (current as ErrorLike).cause;
  }
  return undefined;
}

/**
 * Map a low-level failure to a CrawlError. `phase` is where it happened, for the message;
 * `reason` says why an abort signal fired (the deadline vs the caller).
 */
export function toCrawlError(err: unknown, context: { url: string; abortReason?: 'deadline' | 'caller' | 'closed' }): CrawlError {
  const own = findCrawlError(err);
  if (own) return own;
  if (context.abortReason === 'deadline') return new CrawlError('CRAWL_TIMEOUT', `overall deadline passed fetching ${context.url}`, { cause: err });
  if (context.abortReason === 'caller') return new CrawlError('CRAWL_ABORTED', `fetch of ${context.url} aborted by the caller`, { cause: err });
  if (context.abortReason === 'closed') return new CrawlError('CRAWL_CLOSED', `crawler closed while fetching ${context.url}`, { cause: err });

  const e = (err ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const make = (c: CrawlErrorCode, text: string): CrawlError => new CrawlError(c, `${text} (${context.url})`, { cause: err, details: code ? { cause: code } : undefined });

  switch (code) {
    case 'ENOTFOUND':
      return make('CRAWL_DNS_NXDOMAIN', 'the name does not exist (NXDOMAIN)');
    case 'ENODATA':
      return make('CRAWL_DNS_NO_ADDRESS', 'the name has no A/AAAA records');
    case 'ESERVFAIL':
    case 'ETIMEOUT':
    case 'EREFUSED':
    case 'EAI_AGAIN':
      return make('CRAWL_DNS_FAILED', `DNS lookup failed: ${code}`);
    case 'ECONNREFUSED':
      return make('CRAWL_CONNECT_REFUSED', 'connection refused');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return make('CRAWL_CONNECTION_RESET', `connection closed by the other side: ${message}`);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make('CRAWL_TIMEOUT', 'connect timeout');
    case 'UND_ERR_HEADERS_TIMEOUT':
      return make('CRAWL_TIMEOUT', 'headers timeout');
    case 'UND_ERR_BODY_TIMEOUT':
      return make('CRAWL_TIMEOUT', 'body timeout (no data for too long)');
    case 'UND_ERR_HEADERS_OVERFLOW':
      return make('CRAWL_HEADERS_TOO_LARGE', 'response headers exceed the size limit');
    // the server sent more or fewer body bytes than it announced: the same answer comes again
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return make('CRAWL_PROTOCOL_ERROR', `body length differs from Content-Length: ${message}`);
    case 'UND_ERR_INVALID_ARG':
      return make('CRAWL_INVALID_URL', message);
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BROTLI_DECOMPRESSION_FAILED':
      return make('CRAWL_DECOMPRESSION_FAILED', `body could not be decompressed: ${message}`);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EADDRNOTAVAIL':
      return make('CRAWL_NETWORK_ERROR', `network unreachable: ${code}`);
    default:
      break;
  }
  if (code.startsWith('HPE_') || e.name === 'HTTPParserError') return make('CRAWL_PROTOCOL_ERROR', `not a valid HTTP response: ${message}`);
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(message)) {
    return make('CRAWL_TLS_FAILED', `TLS handshake failed: ${message}`);
  }
  if (code.startsWith('ERR_BROTLI') || code.startsWith('Z_')) return make('CRAWL_DECOMPRESSION_FAILED', `body could not be decompressed: ${message}`);
  if (e.name === 'AbortError') return make('CRAWL_ABORTED', 'aborted');
  if (/other side closed|socket hang up/i.test(message)) return make('CRAWL_CONNECTION_RESET', message);
  return make('CRAWL_NETWORK_ERROR', message || 'unknown network error');
}
