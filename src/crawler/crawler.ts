/**
 * The crawler: one safe fetch of a URL, following redirects hop by hop, returning a FetchRecord.
 *
 * `fetch` never throws for anything the remote side does: a refused connection, an SSRF attempt,
 * a decompression bomb or a redirect loop are all a FetchRecord with a typed `error`. Options are
 * validated once, frozen, and every limit has a default.
 */
import { setMaxListeners } from 'node:events';
import { readBoundedFile } from '../boundedFile.js';
import tls from 'node:tls';
import type { AllowedAddress } from './addressGuard.js';
import { detectCharset, decodeBody } from './charset.js';
import { CrawlError, errorInfo } from './crawlErrors.js';
import { fetchHop, headerValue, type AbortReason, type HopResult, type HopSettings } from './fetchHop.js';
import { systemResolver, type ConnectToRule, type HostResolver, type ResolveRule } from './hostResolution.js';
import { findRedirectHint } from './redirectHints.js';
import type { ConnectionRecord } from './connectionLog.js';
import { TlsSessionCache } from './tlsSessions.js';
import type { FetchRecord, HttpExchange, RedirectHop } from './types.js';

export interface CrawlerOptions {
  /** lift the SSRF guard (`--allow-private`); default false */
  allowPrivate?: boolean;
  /** exact address:port pairs allowed although private: the test world's own listeners only */
  allowAddresses?: AllowedAddress[];
  /** DNS resolver; default the operating system's (getaddrinfo) */
  resolver?: HostResolver;
  /** curl `--resolve` rules */
  resolve?: ResolveRule[];
  /** curl `--connect-to` rules */
  connectTo?: ConnectToRule[];
  /** extra trusted CA certificates (PEM text), added to Node's roots (`--ca`) */
  extraCaPem?: string[];
  /** default `hopwatch/<version>` */
  userAgent?: string;
  /** TCP + TLS connect, including DNS; default 10 000 ms */
  connectTimeoutMs?: number;
  /** from request sent to response headers; default 15 000 ms */
  headersTimeoutMs?: number;
  /** longest silence between body chunks; default 15 000 ms (undici checks it at about 1 s resolution) */
  bodyTimeoutMs?: number;
  /** the whole fetch, every hop included; default 30 000 ms */
  totalTimeoutMs?: number;
  /** body bytes on the wire per hop; default 4 MiB */
  maxWireBytes?: number;
  /** body bytes after decompression per hop; default 8 MiB */
  maxDecodedBytes?: number;
  /** response header block; default 32 KiB */
  maxHeaderBytes?: number;
  /** redirects followed (30x, meta refresh, JavaScript); default 10 */
  maxRedirects?: number;
  /** epoch milliseconds; default Date.now (tests pass their own) */
  clock?: () => number;
  /**
   * Describe every connection (peer address, TLS protocol, cipher, certificate chain as PEM) in
   * `FetchRecord.connections`, for evidence packages; default false (it costs a chain walk per
   * TLS connection).
   */
  recordConnections?: boolean;
  /**
   * resume TLS sessions on later connections to the same host name and port (a probe after
   * the home page, a redirect within the host); default true, except with `recordConnections`:
   * a resumed connection shows no certificate chain, and evidence needs one per connection.
   * Every connection still passes the address guard; false gives every connection a full handshake.
   */
  tlsSessionReuse?: boolean;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /**
   * Called before each request of the fetch: the first (index 0) and every redirect followed, so
   * a caller can apply per-host politeness to redirect targets before they are contacted (the
   * queue waits for the host's Redis lease here). The total deadline is paused while the hook
   * runs: waiting for permission to contact a host is the caller's time, not the host's, and a
   * wait that ate the deadline turned a redirect to a busy mirror into a CRAWL_TIMEOUT verdict.
   * So the hook bounds its own wait. `signal` fires on the caller's abort and on close. A hook
   * that rejects while the signal is aborted ends the fetch as aborted like any hop; any other
   * rejection is the caller's own (a wait it gave up) and rejects the fetch.
   */
  beforeHop?: (url: URL, hop: { index: number; signal: AbortSignal }) => Promise<void>;
}

export interface Crawler {
  fetch(url: string, options?: FetchOptions): Promise<FetchRecord>;
  /** abort fetches in flight and refuse new ones */
  close(): Promise<void>;
}

export const CRAWLER_DEFAULTS = Object.freeze({
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  totalTimeoutMs: 30_000,
  maxWireBytes: 4 * 1024 * 1024,
  maxDecodedBytes: 8 * 1024 * 1024,
  maxHeaderBytes: 32 * 1024,
  maxRedirects: 10,
  userAgent: 'hopwatch/0.1 (+https://github.com/hopwatch/hopwatch)',
});

const HTTP_REDIRECTS = new Set([301, 302, 303, 307, 308]);

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`crawler option ${name} must be a positive number, got ${value}`);
  return value;
}

/** Read `--ca FILE`: one or more PEM certificates. */
export async function loadCaFile(path: string): Promise<string> {
  let text: string;
  try {
    // a CA bundle is a few hundred KB; counted while reading (`--ca /dev/zero` must not hang)
    text = (await readBoundedFile(path, 4 * 1024 * 1024, { unreadable: 'CRAWL_INVALID_URL', tooLarge: 'CRAWL_INVALID_URL', notText: 'CRAWL_INVALID_URL' })).toString('utf8');
  } catch (err) {
    throw new CrawlError('CRAWL_INVALID_URL', err instanceof Error ? err.message : String(err));
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new CrawlError('CRAWL_INVALID_URL', `${path} holds no PEM certificate`);
  return text;
}

/** Parse and normalise a URL (WHATWG: `http://2130706433/` becomes `http://127.0.0.1/`). */
export function parseCrawlUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new CrawlError('CRAWL_INVALID_URL', `"${input.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CrawlError('CRAWL_INVALID_URL', `only http and https are crawled, not ${url.protocol}`);
  if (url.username || url.password) throw new CrawlError('CRAWL_INVALID_URL', 'URLs with credentials are not crawled');
  url.hash = '';
  return url;
}

function looksLikeHtml(body: Uint8Array): boolean {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 512)).toString('latin1').trimStart().toLowerCase();
  return /^(?:\ufeff|ï»¿)?\s*<(?:!doctype html|html|head|body|!--)/.test(head);
}

export function isHtmlContentType(contentType: string | null, body: Uint8Array): boolean {
  if (!contentType) return looksLikeHtml(body);
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  return mime === 'text/html' || mime === 'application/xhtml+xml';
}

export function createCrawler(options: CrawlerOptions = {}): Crawler {
  const settings: HopSettings = Object.freeze({
    policy: Object.freeze({ allowPrivate: options.allowPrivate ?? false, allowAddresses: Object.freeze([...(options.allowAddresses ?? [])]) }),
    resolver: options.resolver ?? systemResolver,
    resolveRules: Object.freeze([...(options.resolve ?? [])]),
    connectTo: Object.freeze([...(options.connectTo ?? [])]),
    secureContext: options.extraCaPem && options.extraCaPem.length > 0 ? tls.createSecureContext({ ca: [...tls.rootCertificates, ...options.extraCaPem] }) : undefined,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, CRAWLER_DEFAULTS.connectTimeoutMs),
    headersTimeoutMs: positive('headersTimeoutMs', options.headersTimeoutMs, CRAWLER_DEFAULTS.headersTimeoutMs),
    bodyTimeoutMs: positive('bodyTimeoutMs', options.bodyTimeoutMs, CRAWLER_DEFAULTS.bodyTimeoutMs),
    maxHeaderBytes: positive('maxHeaderBytes', options.maxHeaderBytes, CRAWLER_DEFAULTS.maxHeaderBytes),
    bodyLimits: Object.freeze({
      maxWireBytes: positive('maxWireBytes', options.maxWireBytes, CRAWLER_DEFAULTS.maxWireBytes),
      maxDecodedBytes: positive('maxDecodedBytes', options.maxDecodedBytes, CRAWLER_DEFAULTS.maxDecodedBytes),
    }),
    userAgent: options.userAgent ?? CRAWLER_DEFAULTS.userAgent,
    clock: options.clock ?? Date.now,
    recordConnections: options.recordConnections ?? false,
    tlsSessions: (options.tlsSessionReuse ?? !options.recordConnections) ? new TlsSessionCache() : undefined,
  });
  const totalTimeoutMs = positive('totalTimeoutMs', options.totalTimeoutMs, CRAWLER_DEFAULTS.totalTimeoutMs);
  const maxRedirects = options.maxRedirects ?? CRAWLER_DEFAULTS.maxRedirects;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > 50) throw new TypeError(`crawler option maxRedirects must be 0..50, got ${maxRedirects}`);

  const closeController = new AbortController();
  // every fetch in flight listens to it: as many listeners as the caller's concurrency
  setMaxListeners(0, closeController.signal);
  const inFlight = new Set<Promise<FetchRecord>>();

  async function crawl(input: string, callerSignal: AbortSignal | undefined, beforeHop?: FetchOptions['beforeHop']): Promise<FetchRecord> {
    const startedAt = settings.clock();
    // One controller per fetch, wired to its sources by hand and unwired at the end: AbortSignal.any
    // and AbortSignal.timeout keep listeners and timers alive long after a fetch is done, which adds
    // up over a scan of 100,000 domains.
    const controller = new AbortController();
    let deadlinePassed = false;
    // the deadline is a budget that stops running while the caller's beforeHop hook runs
    let remainingMs = totalTimeoutMs;
    let armedAt = performance.now();
    let deadline: NodeJS.Timeout | undefined;
    const arm = (): void => {
      armedAt = performance.now();
      deadline = setTimeout(() => {
        deadlinePassed = true;
        controller.abort();
      }, Math.max(0, remainingMs));
    };
    const paused = async (hook: () => Promise<void>): Promise<void> => {
      clearTimeout(deadline);
      remainingMs -= performance.now() - armedAt;
      try {
        await hook();
      } finally {
        if (!deadlinePassed) arm();
      }
    };
    arm();
    const onAbort = (): void => controller.abort();
    closeController.signal.addEventListener('abort', onAbort);
    callerSignal?.addEventListener('abort', onAbort);
    if (closeController.signal.aborted || callerSignal?.aborted) controller.abort();
    const signal = controller.signal;
    const abortReason = (): AbortReason =>
      closeController.signal.aborted ? 'closed' : callerSignal?.aborted ? 'caller' : deadlinePassed ? 'deadline' : undefined;
    try {
      return await crawlWithSignal(input, startedAt, signal, abortReason, beforeHop && ((url, hop) => paused(() => beforeHop(url, hop))));
    } finally {
      clearTimeout(deadline);
      closeController.signal.removeEventListener('abort', onAbort);
      callerSignal?.removeEventListener('abort', onAbort);
    }
  }

  async function crawlWithSignal(input: string, startedAt: number, signal: AbortSignal, abortReason: () => AbortReason, beforeHop?: FetchOptions['beforeHop']): Promise<FetchRecord> {
    const clock = settings.clock;

    const redirects: RedirectHop[] = [];
    const connections: ConnectionRecord[] = [];
    const exchanges: HttpExchange[] = [];
    let hop: HopResult | undefined;
    let error: CrawlError | null = null;
    let url: URL | undefined;
    try {
      url = parseCrawlUrl(input);
    } catch (err) {
      error = err as CrawlError;
    }
    const seen = new Set<string>();
    while (url && !error) {
      seen.add(url.href);
      if (beforeHop && !signal.aborted) {
        try {
          await beforeHop(url, { index: redirects.length, signal });
        } catch (err) {
          // an abort that interrupted the hook is reported below like any other abort
          if (!signal.aborted) throw err;
        }
      }
      if (signal.aborted) {
        error = new CrawlError(abortReason() === 'caller' ? 'CRAWL_ABORTED' : abortReason() === 'closed' ? 'CRAWL_CLOSED' : 'CRAWL_TIMEOUT', `fetch of ${url.href} stopped before it started`);
        break;
      }
      hop = await fetchHop(url, settings, signal, abortReason);
      if (hop.connection) connections.push({ hop: redirects.length, ...hop.connection });
      exchanges.push(hop.exchange);
      if (hop.error) {
        error = hop.error;
        break;
      }
      const next = nextLocation(hop);
      if (!next) break;
      redirects.push({ url: hop.url, status: hop.status ?? 0, kind: next.kind, location: next.location, connectedAddress: hop.connectedAddress });
      let nextUrl: URL;
      try {
        nextUrl = parseCrawlUrl(next.location);
      } catch (err) {
        error = err as CrawlError;
        break;
      }
      if (seen.has(nextUrl.href)) {
        error = new CrawlError('CRAWL_REDIRECT_LOOP', `redirect loop: ${nextUrl.href} was already visited`, { details: { chain: redirects.map((r) => r.url) } });
        break;
      }
      if (redirects.length > maxRedirects) {
        error = new CrawlError('CRAWL_TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects from ${input}`);
        break;
      }
      url = nextUrl;
    }

    const contentType = hop ? headerValue(hop.headers, 'content-type') ?? null : null;
    const body = hop?.body ?? new Uint8Array(0);
    const isHtml = hop?.status != null && isHtmlContentType(contentType, body);
    const charset = detectCharset(body, contentType, isHtml);
    return {
      requestedUrl: input,
      finalUrl: hop?.url ?? url?.href ?? input,
      redirects,
      status: hop?.status ?? null,
      headers: hop?.headers ?? {},
      resolvedAddresses: hop?.resolvedAddresses ?? [],
      connectedAddress: hop?.connectedAddress ?? null,
      tls: hop?.tls ?? null,
      timings: { startedAt, dnsMs: hop?.dnsMs ?? null, connectMs: hop?.connectMs ?? null, headersMs: hop?.headersMs ?? null, totalMs: clock() - startedAt },
      fetchedAt: new Date(startedAt).toISOString(),
      body,
      sha256: hop?.sha256 ?? 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      wireBytes: hop?.wireBytes ?? 0,
      bodyTruncated: hop?.bodyTruncated ?? false,
      exchanges,
      contentType,
      isHtml,
      charset: charset.charset,
      charsetSource: charset.source,
      error: error ? errorInfo(error) : null,
      ...(settings.recordConnections ? { connections } : {}),
    };
  }

  /** Where this response sends the browser next: a 30x Location, or a meta / JS redirect on HTML. */
  function nextLocation(hop: HopResult): { kind: RedirectHop['kind']; location: string } | null {
    const status = hop.status ?? 0;
    if (HTTP_REDIRECTS.has(status)) {
      const location = headerValue(hop.headers, 'location');
      if (!location) return null;
      try {
        return { kind: 'http', location: new URL(location, hop.url).href };
      } catch {
        return { kind: 'http', location };
      }
    }
    if (status !== 200) return null;
    const contentType = headerValue(hop.headers, 'content-type') ?? null;
    if (!isHtmlContentType(contentType, hop.body)) return null;
    const { charset } = detectCharset(hop.body, contentType, true);
    // the hint finder only reads a prefix; decode no more than it needs
    return findRedirectHint(decodeBody(hop.body.subarray(0, 64 * 1024), charset), hop.url);
  }

  return {
    fetch(url, fetchOptions = {}) {
      if (closeController.signal.aborted) {
        return crawl(url, AbortSignal.abort());
      }
      const promise = crawl(url, fetchOptions.signal, fetchOptions.beforeHop);
      inFlight.add(promise);
      // then(f, f), not finally: a rejecting beforeHop must not leave an unhandled copy behind
      const forget = (): void => void inFlight.delete(promise);
      void promise.then(forget, forget);
      return promise;
    },
    async close() {
      closeController.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
