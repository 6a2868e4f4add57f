/**
 * One HTTP(S) request and response, on its own undici Client and its own connection.
 *
 * A fresh Client per hop makes every hop's evidence unambiguous: the DNS answer and the connected
 * address recorded are those of this request, and no pooled socket opened for another host (or
 * before a DNS change) is ever reused. The handshake can still be shortened: a TLS session from an
 * earlier connection to the same name and port is offered (tlsSessions.ts), and a resumed
 * connection records the certificate of the handshake that issued the session.
 *
 * The SSRF guard runs inside the connection itself: in the `lookup` hook undici's connector hands
 * to node:net (every address DNS returned, before any packet is sent), and on the socket's
 * remoteAddress once connected, so literals, overrides and DNS rebinding all pass the same gate.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { LookupFunction } from 'node:net';
import { Client, buildConnector } from 'undici';
import { refusal, type AddressPolicy } from './addressGuard.js';
import { describeConnection, type ConnectionRecord } from './connectionLog.js';
import { decodeContent } from './contentDecoding.js';
import { CrawlError, toCrawlError } from './crawlErrors.js';
import { applyConnectTo, applyResolveRules, type ConnectToRule, type HostResolver, type ResolveRule } from './hostResolution.js';
import { readTlsDetails } from './tlsDetails.js';
import { TlsSessionCache } from './tlsSessions.js';
import type { HttpExchange, TlsDetails } from './types.js';
import { NoResponseError, requestRaw } from './wireRequest.js';

export interface BodyLimits {
  maxWireBytes: number;
  maxDecodedBytes: number;
}

export interface HopSettings {
  policy: AddressPolicy;
  resolver: HostResolver;
  resolveRules: readonly ResolveRule[];
  connectTo: readonly ConnectToRule[];
  /** built once per crawler when `--ca` adds certificates (parsing ~140 roots per connection costs ~20 ms); undefined = Node's defaults */
  secureContext: SecureContext | undefined;
  /** TLS sessions to resume, per crawler; undefined = a full handshake every time */
  tlsSessions?: TlsSessionCache | undefined;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxHeaderBytes: number;
  bodyLimits: BodyLimits;
  userAgent: string;
  clock: () => number;
  /** describe each connection (TLS chain, cipher) for evidence; see connectionLog.ts */
  recordConnections: boolean;
}

export interface HopResult {
  url: string;
  status: number | null;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
  sha256: string;
  wireBytes: number;
  bodyTruncated: boolean;
  resolvedAddresses: string[];
  connectedAddress: string | null;
  tls: TlsDetails | null;
  dnsMs: number | null;
  connectMs: number | null;
  headersMs: number | null;
  error: CrawlError | null;
  /** set when `recordConnections` is on and a connection was made */
  connection: Omit<ConnectionRecord, 'hop'> | null;
  /** the request and response as they crossed the wire, for the evidence package */
  exchange: HttpExchange;
}

/** SHA-256 of zero bytes: the body hash when no body arrived. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export type AbortReason = 'deadline' | 'caller' | 'closed' | undefined;

function ssrfError(host: string, address: string, port: number, cls: string): CrawlError {
  return new CrawlError('CRAWL_SSRF_BLOCKED', `${host} → ${address}:${port} is ${cls}; refused without --allow-private`, {
    details: { host, address, port, addressClass: cls },
  });
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Names lower-cased; a repeated header becomes an array in arrival order (as undici's own parser does). */
function plainHeaders(raw: readonly [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of raw) {
    const name = rawName.toLowerCase();
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[name] = [seen, value];
  }
  return out;
}

const ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const ACCEPT_LANGUAGE = 'en;q=0.9, *;q=0.5';

export function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export async function fetchHop(url: URL, settings: HopSettings, signal: AbortSignal, abortReason: () => AbortReason): Promise<HopResult> {
  const clock = settings.clock;
  const hopStart = clock();
  const urlHost = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const target = applyConnectTo(settings.connectTo, urlHost, defaultPort(url));
  const result: HopResult = {
    url: url.href,
    status: null,
    headers: {},
    body: new Uint8Array(0),
    sha256: '',
    wireBytes: 0,
    bodyTruncated: false,
    resolvedAddresses: [],
    connectedAddress: null,
    tls: null,
    dnsMs: null,
    connectMs: null,
    headersMs: null,
    error: null,
    connection: null,
    exchange: {
      url: url.href,
      method: 'GET',
      requestHeaders: [],
      startedAt: new Date(hopStart).toISOString(),
      status: null,
      statusText: '',
      httpVersion: '1.1',
      responseHeaders: [],
      rawBody: new Uint8Array(0),
      rawBodyTruncated: false,
      remoteAddress: null,
      remotePort: null,
      tls: null,
    },
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    const dnsStart = clock();
    const name = hostname.toLowerCase();
    const override = applyResolveRules(settings.resolveRules, name, target.port);
    (override ? Promise.resolve(override) : settings.resolver(name, signal))
      .then((addresses) => {
        result.dnsMs = override ? null : clock() - dnsStart;
        result.resolvedAddresses = addresses;
        // every address is checked, not only the one we would use: a mixed answer is a trick
        for (const address of addresses) {
          const cls = refusal(settings.policy, address, target.port);
          if (cls) throw ssrfError(name, address, target.port, cls);
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const entries = addresses.map((address) => ({ address, family: net.isIP(address) })).filter((e) => wanted === 0 || e.family === wanted);
        const first = entries[0];
        if (!first) throw new CrawlError('CRAWL_DNS_NO_ADDRESS', `${name} has no usable address`);
        if (options.all) setImmediate(() => callback(null, entries));
        else setImmediate(() => callback(null, first.address, first.family));
      })
      // answering node:net's lookup from a promise job (not a macrotask) leaks a few KB per socket
      // on Node 20 (measured: 3 KB per failed connect); over a 100,000-domain scan that is the heap
      .catch((err: unknown) => setImmediate(() => callback(err as NodeJS.ErrnoException, '', 0)));
  };

  // a session from an earlier connection to this name and port (undici's own cache would die
  // with this hop's connector, so the crawler keeps them)
  const sessionKey = url.protocol === 'https:' && settings.tlsSessions ? TlsSessionCache.key(urlHost, target.host, target.port) : undefined;
  const cached = sessionKey === undefined ? undefined : settings.tlsSessions!.get(sessionKey);
  const connector = buildConnector({
    timeout: settings.connectTimeoutMs,
    // an invalid certificate must not stop the fetch: it is recorded, and it is evidence
    rejectUnauthorized: false,
    ...(settings.secureContext ? { secureContext: settings.secureContext } : {}),
    ...(cached ? { session: cached.session } : {}),
    lookup,
    maxCachedSessions: 0,
  });

  const connect: buildConnector.connector = (options, callback) => {
    if (net.isIP(target.host)) {
      result.resolvedAddresses = [target.host];
      const cls = refusal(settings.policy, target.host, target.port);
      if (cls) return callback(ssrfError(urlHost, target.host, target.port, cls), null);
    }
    connector({ ...options, hostname: target.host, port: String(target.port) }, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const remote = socket.remoteAddress ?? '';
      const cls = refusal(settings.policy, remote, socket.remotePort ?? target.port);
      if (cls) {
        socket.destroy();
        return callback(ssrfError(urlHost, remote, target.port, cls), null);
      }
      result.connectedAddress = remote;
      result.connectMs = clock() - hopStart;
      if (socket instanceof TLSSocket) {
        const resumed = cached !== undefined && socket.isSessionReused();
        result.tls = resumed ? { ...cached.details, protocol: socket.getProtocol() ?? cached.details.protocol, sessionResumed: true } : readTlsDetails(socket);
        const details = result.tls;
        if (sessionKey !== undefined && details) {
          const sessions = settings.tlsSessions!;
          const original = resumed ? cached.details : details;
          // TLS 1.2 has its session by now; TLS 1.3 tickets arrive just after the handshake
          const now = socket.getSession();
          if (now) sessions.set(sessionKey, now, original);
          socket.on('session', (ticket: Buffer) => sessions.set(sessionKey, ticket, original));
        }
      }
      if (settings.recordConnections) result.connection = describeConnection(socket, url.href, clock());
      // undici writes the request as soon as it has the socket
      result.exchange.startedAt = new Date(clock()).toISOString();
      result.exchange.remoteAddress = remote;
      result.exchange.remotePort = socket.remotePort ?? null;
      result.exchange.tls = result.tls;
      callback(null, socket);
    });
  };

  const client = new Client(url.origin, {
    connect,
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
    maxHeaderSize: settings.maxHeaderBytes,
    pipelining: 1,
  });
  // undici writes its own `host` and `connection` lines first (a fresh socket, pipelining 1:
  // keep-alive); recorded here in the order they go out, for the WARC request record
  const sentHeaders: [string, string][] = [
    ['user-agent', settings.userAgent],
    ['accept', ACCEPT],
    ['accept-encoding', ACCEPT_ENCODING],
    ['accept-language', ACCEPT_LANGUAGE],
  ];
  result.exchange.requestHeaders = [['host', url.host], ['connection', 'keep-alive'], ...sentHeaders];
  try {
    const response = await requestRaw(client, {
      path: `${url.pathname}${url.search}`,
      headers: sentHeaders,
      signal,
      maxWireBytes: settings.bodyLimits.maxWireBytes,
      url: url.href,
      onHeaders: () => {
        result.headersMs = clock() - hopStart;
      },
    });
    result.status = response.status;
    result.headers = plainHeaders(response.rawHeaders);
    result.wireBytes = response.rawBody.length;
    Object.assign(result.exchange, {
      status: response.status,
      statusText: response.statusText,
      responseHeaders: response.rawHeaders,
      rawBody: response.rawBody,
      rawBodyTruncated: !response.complete,
    });
    const decoded = await decodeContent(response.rawBody, headerValue(result.headers, 'content-encoding'), settings.bodyLimits.maxDecodedBytes, response.complete, url.href);
    result.body = decoded.body;
    result.sha256 = createHash('sha256').update(decoded.body).digest('hex');
    // the wire failure (limit, timeout, reset) is the cause; a decoding failure only when the wire was fine
    const failure = response.failure ?? decoded.failure;
    result.bodyTruncated = failure !== undefined;
    if (failure !== undefined) result.error = toCrawlError(failure, { url: url.href, abortReason: abortReason() });
  } catch (err) {
    result.error = toCrawlError(err instanceof NoResponseError ? err.reason : err, { url: url.href, abortReason: abortReason() });
  } finally {
    await client.destroy().catch(() => undefined);
  }
  if (!result.sha256) result.sha256 = EMPTY_SHA256;
  return result;
}
