/**
 * What one fetch produced, as a court would want it recorded: which URL was asked for, every
 * hop of the redirect chain, where each hop connected, what TLS said, and the bytes received.
 */
import type { ConnectionRecord } from './connectionLog.js';
import type { CrawlErrorInfo } from './crawlErrors.js';

export interface TlsDetails {
  /** whether the chain verified against the trusted roots (+ `--ca`) and the name matched */
  authorized: boolean;
  /** why not, as Node reports it (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...) */
  authorizationError: string | null;
  /** subject as `CN=..., O=...` */
  subject: string;
  /** DNS names and IPs from subjectAltName; they often list sibling mirror domains */
  subjectAltNames: string[];
  issuer: string;
  /** ISO 8601 UTC */
  validFrom: string | null;
  validTo: string | null;
  /** SHA-256 of the DER certificate, colon-separated hex as Node prints it */
  fingerprint256: string;
  serialNumber: string;
  /**
   * true when the handshake resumed a TLS session of an earlier connection to the same host
   * and port (crawler option `tlsSessionReuse`): the certificate fields are then those of the
   * full handshake that issued the session; no chain can be read from this connection
   */
  sessionResumed?: boolean;
  /** negotiated protocol, e.g. `TLSv1.3` */
  protocol: string | null;
}

/** One HTTP request and its response as they crossed the wire: what a WARC request/response pair records. */
export interface HttpExchange {
  /** absolute URL requested */
  url: string;
  method: 'GET';
  /** as sent, in order (host, connection, user-agent, accept, accept-encoding ...) */
  requestHeaders: [string, string][];
  /** ISO 8601 UTC when the request was sent (the connection was up), or when the hop started if it never was */
  startedAt: string;
  /** null when no response arrived */
  status: number | null;
  /** reason phrase if known, else '' */
  statusText: string;
  /** e.g. '1.1' */
  httpVersion: string;
  /** raw, in the order received (undici rawHeaders) */
  responseHeaders: [string, string][];
  /** body bytes as received, before content decoding (transfer framing removed), cut at maxWireBytes */
  rawBody: Uint8Array;
  rawBodyTruncated: boolean;
  remoteAddress: string | null;
  remotePort: number | null;
  tls: TlsDetails | null;
}

export type RedirectKind = 'http' | 'meta-refresh' | 'javascript';

export interface RedirectHop {
  /** the URL that answered with a redirect */
  url: string;
  status: number;
  kind: RedirectKind;
  /** where it sent us, absolute */
  location: string;
  /** the address this hop connected to */
  connectedAddress: string | null;
}

export interface FetchTimings {
  /** epoch milliseconds (from the injected clock) when the fetch started */
  startedAt: number;
  /** DNS time of the final hop, ms; null for IP literals and overrides */
  dnsMs: number | null;
  /** TCP (+TLS) connect of the final hop, ms, from the start of that hop */
  connectMs: number | null;
  /** response headers of the final hop, ms from the start of that hop */
  headersMs: number | null;
  /** the whole fetch, all hops, ms */
  totalMs: number;
}

export type CharsetSource = 'bom' | 'header' | 'meta' | 'default';

export interface FetchRecord {
  requestedUrl: string;
  /** the last URL fetched (after every redirect followed) */
  finalUrl: string;
  redirects: RedirectHop[];
  /** HTTP status of the final hop; null when no response arrived */
  status: number | null;
  /** response headers of the final hop, names lower-cased */
  headers: Record<string, string | string[]>;
  /** every address DNS (or an override) gave for the final hop's host */
  resolvedAddresses: string[];
  /** the address the final hop's socket actually connected to */
  connectedAddress: string | null;
  tls: TlsDetails | null;
  timings: FetchTimings;
  /** ISO 8601 UTC of the start of the fetch */
  fetchedAt: string;
  /** the body after content decoding, cut at the limits */
  body: Uint8Array;
  /** SHA-256 (hex) of `body` */
  sha256: string;
  /** bytes received on the wire for the final hop's body */
  wireBytes: number;
  /** true when the body is incomplete (limit, timeout, reset); `error` says why */
  bodyTruncated: boolean;
  /** every HTTP exchange of the fetch in order: each redirect hop, the final one last */
  exchanges: HttpExchange[];
  /** Content-Type header value, or null */
  contentType: string | null;
  /** true when the content type is HTML (or absent and the body sniffs as HTML) */
  isHtml: boolean;
  /** a WHATWG encoding label; decode `body` with it */
  charset: string;
  charsetSource: CharsetSource;
  /**
   * Why the fetch failed or is incomplete. With `status` null nothing usable arrived; with a
   * status and `bodyTruncated` the body is partial; a redirect or SSRF error keeps the last
   * response that was received.
   */
  error: CrawlErrorInfo | null;
  /** every connection of the fetch, in hop order; present only with `recordConnections` */
  connections?: ConnectionRecord[];
}
