/**
 * A fetch as a WARC/1.1 file (ISO 28500:2017), one gzip member per record, written with
 * Webrecorder's warcio:
 *
 *   warcinfo                       who wrote the file, for which check
 *   request  ─┐ WARC-Concurrent-To  one pair per HTTP exchange, redirects included, in order
 *   response ─┘
 *   metadata                       one per connection: peer, TLS protocol, cipher, PEM chain
 *
 * The HTTP blocks are the bytes hopwatch has, laid out exactly as docs/evidence.md says (status
 * line, header lines as received, CRLF, the body before content decoding); warcio is handed them
 * as the whole block rather than as parsed headers, because its header map would merge repeated
 * headers and re-encode values, and evidence must not be tidied up. Pure: no file system, no
 * clock (the caller passes every date), ids from the injected `newId`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WARCRecord, WARCSerializer, WARC_1_1, type WARCType } from 'warcio';
import type { ConnectionRecord } from '../crawler/connectionLog.js';
import type { HttpExchange } from '../crawler/types.js';

export interface WarcInput {
  exchanges: readonly HttpExchange[];
  /** one per hop that connected; empty when the crawler did not record connections */
  connections: readonly ConnectionRecord[];
  /** ISO 8601 UTC, the warcinfo record's date */
  createdAt: string;
  /** `hopwatch/0.1.0` */
  software: string;
  /** a name for WARC-Filename (the file is stored under its hash; this is for people) */
  filename: string;
  /** extra warcinfo fields (the check's domain, the requested URL) */
  info?: Record<string, string>;
  /** record id factory; default random UUIDs */
  newId?: () => string;
}

export interface WarcRecordSummary {
  /** `<urn:uuid:...>` */
  id: string;
  type: WARCType;
  targetUri: string | null;
  /** `sha256:<hex>` of the record block */
  blockDigest: string;
  /** `sha256:<hex>` of the HTTP body in the block (request / response records only) */
  payloadDigest: string | null;
  /** index into `exchanges` (request / response) or the connection's hop (metadata) */
  exchange: number | null;
}

export interface WarcFile {
  bytes: Uint8Array;
  records: WarcRecordSummary[];
  /** per exchange, the ids of its request and (if a response arrived) response records */
  exchangeRecordIds: string[][];
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Header text as bytes: Latin-1 when every character fits (HTTP/1.1 header octets decoded one
 * byte per character round-trip exactly), UTF-8 otherwise. CR and LF inside a value cannot have
 * come off the wire (the parser ends a line there) and would forge a header line: they become
 * spaces.
 */
function headerBytes(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function headerLines(headers: readonly [string, string][]): string {
  return headers.map(([name, value]) => `${HEADER_NAME.test(name) ? name : name.replace(/[^!#$%&'*+.^_`|~0-9A-Za-z-]/g, '_')}: ${value.replace(/[\r\n]/g, ' ')}\r\n`).join('');
}

function requestTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname || '/'}${u.search}`;
  } catch {
    return url;
  }
}

export function requestBlock(exchange: HttpExchange): Uint8Array {
  const head = `${exchange.method} ${requestTarget(exchange.url)} HTTP/1.1\r\n${headerLines(exchange.requestHeaders)}\r\n`;
  return headerBytes(head);
}

export function responseHead(exchange: HttpExchange): Uint8Array {
  const reason = exchange.statusText ? ` ${exchange.statusText.replace(/[\r\n]/g, ' ')}` : '';
  const version = /^\d\.\d$/.test(exchange.httpVersion) ? exchange.httpVersion : '1.1';
  return headerBytes(`HTTP/${version} ${exchange.status}${reason}\r\n${headerLines(exchange.responseHeaders)}\r\n`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

async function serialize(
  type: WARCType,
  fields: { url?: string; date: string; id: string; headers: Record<string, string>; contentType?: string },
  block: Uint8Array,
  payloadDigest: string | null,
): Promise<{ bytes: Uint8Array; blockDigest: string; payloadDigest: string | null }> {
  const blockDigest = sha256Digest(block);
  const warcHeaders: Record<string, string> = { 'WARC-Record-ID': fields.id, ...fields.headers, 'WARC-Block-Digest': blockDigest };
  if (payloadDigest) warcHeaders['WARC-Payload-Digest'] = payloadDigest;
  if (fields.contentType) warcHeaders['Content-Type'] = fields.contentType;
  const record = WARCRecord.create({ ...(fields.url ? { url: fields.url } : {}), date: fields.date, type, warcVersion: WARC_1_1, warcHeaders }, [block]);
  // the block already holds the HTTP message, byte for byte: warcio must not write headers of its own
  record.httpHeaders = null;
  const bytes = await WARCSerializer.serialize(record, { gzip: true });
  // warcio adds a payload digest of its own to records it has none for (metadata): report what was written
  return { bytes, blockDigest, payloadDigest: record.warcPayloadDigest ?? null };
}

function warcFields(fields: Record<string, string>): Uint8Array {
  return Buffer.from(Object.entries(fields).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, ' ')}\r\n`).join(''), 'utf8');
}

export async function buildWarc(input: WarcInput): Promise<WarcFile> {
  const newId = input.newId ?? (() => `<urn:uuid:${randomUUID()}>`);
  const parts: Uint8Array[] = [];
  const records: WarcRecordSummary[] = [];
  const exchangeRecordIds: string[][] = [];

  const infoId = newId();
  const info = warcFields({
    software: input.software,
    format: 'WARC File Format 1.1',
    conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
    description: 'hopwatch evidence: every HTTP exchange of one fetch, as received; see docs/evidence.md',
    ...(input.info ?? {}),
  });
  const infoRecord = await serialize('warcinfo', { date: input.createdAt, id: infoId, headers: { 'WARC-Filename': input.filename } }, info, null);
  parts.push(infoRecord.bytes);
  records.push({ id: infoId, type: 'warcinfo', targetUri: null, blockDigest: infoRecord.blockDigest, payloadDigest: infoRecord.payloadDigest, exchange: null });

  for (const [index, exchange] of input.exchanges.entries()) {
    // a hop that never connected (DNS failure, refusal, SSRF guard) sent nothing: no records, the manifest says why
    if (exchange.remoteAddress === null && exchange.status === null) {
      exchangeRecordIds.push([]);
      continue;
    }
    const requestId = newId();
    const responseId = exchange.status === null ? null : newId();
    const common: Record<string, string> = { 'WARC-Warcinfo-ID': infoId };
    if (exchange.remoteAddress) common['WARC-IP-Address'] = exchange.remoteAddress;

    const reqBlock = requestBlock(exchange);
    const request = await serialize(
      'request',
      { url: exchange.url, date: exchange.startedAt, id: requestId, headers: { ...common, ...(responseId ? { 'WARC-Concurrent-To': responseId } : {}) } },
      reqBlock,
      sha256Digest(new Uint8Array(0)),
    );
    parts.push(request.bytes);
    records.push({ id: requestId, type: 'request', targetUri: exchange.url, blockDigest: request.blockDigest, payloadDigest: sha256Digest(new Uint8Array(0)), exchange: index });

    if (responseId) {
      const payloadDigest = sha256Digest(exchange.rawBody);
      const headers: Record<string, string> = { ...common, 'WARC-Concurrent-To': requestId };
      // the body stops where the crawler's limit (or the peer) stopped it
      if (exchange.rawBodyTruncated) headers['WARC-Truncated'] = 'unspecified';
      const response = await serialize('response', { url: exchange.url, date: exchange.startedAt, id: responseId, headers }, concat(responseHead(exchange), exchange.rawBody), payloadDigest);
      parts.push(response.bytes);
      records.push({ id: responseId, type: 'response', targetUri: exchange.url, blockDigest: response.blockDigest, payloadDigest, exchange: index });
      exchangeRecordIds.push([requestId, responseId]);
    } else {
      exchangeRecordIds.push([requestId]);
    }
  }

  for (const connection of input.connections) {
    const id = newId();
    const refersTo = exchangeRecordIds[connection.hop];
    const headers: Record<string, string> = { 'WARC-Warcinfo-ID': infoId };
    if (connection.remoteAddress) headers['WARC-IP-Address'] = connection.remoteAddress;
    if (refersTo) headers['WARC-Concurrent-To'] = refersTo[refersTo.length - 1]!;
    const block = Buffer.from(`${JSON.stringify({ kind: 'hopwatch.connection/1', ...connection }, null, 2)}\n`, 'utf8');
    const meta = await serialize('metadata', { url: connection.url, date: connection.connectedAt, id, headers, contentType: 'application/json' }, block, null);
    parts.push(meta.bytes);
    records.push({ id, type: 'metadata', targetUri: connection.url, blockDigest: meta.blockDigest, payloadDigest: meta.payloadDigest, exchange: connection.hop });
  }

  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { bytes, records, exchangeRecordIds };
}
