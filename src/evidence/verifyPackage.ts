/**
 * Verify an evidence package: the manifest's hash against its name, the WARC file's hash and
 * size against the manifest, every WARC record re-read with warcio's parser and its block and
 * payload re-hashed against its own WARC-*-Digest headers and against the manifest's record list,
 * the manifest's exchanges (URL, status, address) against the records, and the body and
 * screenshot files against their hashes. Every difference is named; nothing stops at the first.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { WARCParser } from 'warcio';
import { decodeContent } from '../crawler/contentDecoding.js';
import { HopwatchError } from '../errors.js';
import { evidencePath, isSha256Hex, openEvidenceStore, parseEvidenceName, sha256Hex, type EvidenceExt, type EvidenceStore } from './evidenceStore.js';
import { manifestSchema, type ParsedManifest } from './manifest.js';
import { sha256Digest } from './warcWriter.js';

export interface VerifyReport {
  ok: boolean;
  /** the manifest's SHA-256 (of its bytes as read) */
  manifest: string;
  manifestPath: string;
  /** one line per difference, naming the file, record and field */
  differences: string[];
  /** what was checked: WARC records, files */
  checked: { records: number; files: string[] };
}

interface ReadRecord {
  id: string;
  type: string;
  targetUri: string | null;
  ipAddress: string | null;
  blockDigest: string | null;
  payloadDigest: string | null;
  concurrentTo: string[];
  block: Uint8Array;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** The HTTP body of a request/response block: after the header block's blank line. */
function httpPayload(block: Uint8Array): { head: string; payload: Uint8Array } | null {
  const at = Buffer.from(block.buffer, block.byteOffset, block.byteLength).indexOf(CRLFCRLF);
  if (at < 0) return null;
  return { head: Buffer.from(block.subarray(0, at)).toString('latin1'), payload: block.subarray(at + 4) };
}

async function readWarcRecords(bytes: Uint8Array): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  // parseHttp off: the block is read as stored, so its digest is over exactly the stored bytes
  const parser = new WARCParser([bytes], { parseHttp: false });
  for await (const record of parser) {
    const block = await record.readFully(false);
    out.push({
      id: record.warcHeader('WARC-Record-ID') ?? '',
      type: record.warcType,
      targetUri: record.warcTargetURI ?? null,
      ipAddress: record.warcHeader('WARC-IP-Address') ?? null,
      blockDigest: record.warcBlockDigest ?? null,
      payloadDigest: record.warcPayloadDigest ?? null,
      concurrentTo: (record.warcHeader('WARC-Concurrent-To') ?? '').split(/[\s,]+/).filter(Boolean),
      block: new Uint8Array(block),
    });
  }
  return out;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** Larger than any package hopwatch writes (hops × maxWireBytes); a file past it is not read into memory. */
const MAX_VERIFY_FILE_BYTES = 1024 * 1024 * 1024;
/** A manifest is a few KB to a few MB (evidence items, WARC record list). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

async function checkFile(store: EvidenceStore, sha256: string, ext: EvidenceExt, what: string, differences: string[], files: string[]): Promise<Uint8Array | null> {
  const file = evidencePath(store.root, sha256, ext);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    differences.push(`${what}: file ${sha256}.${ext} is missing from ${store.root}`);
    return null;
  }
  files.push(file);
  if (size > MAX_VERIFY_FILE_BYTES) {
    differences.push(`${what}: ${file} is ${size} bytes, more than any evidence file (${MAX_VERIFY_FILE_BYTES}); not read`);
    return null;
  }
  const bytes = new Uint8Array(await readFile(file));
  const actual = sha256Hex(bytes);
  if (actual !== sha256) differences.push(`${what}: ${file} hashes to ${actual}, the manifest says ${sha256}`);
  return bytes;
}

function compareRecords(manifest: ParsedManifest, records: ReadRecord[], differences: string[]): void {
  const listed = manifest.warc.records;
  if (listed.length !== records.length) differences.push(`warc: the file holds ${records.length} records, the manifest lists ${listed.length}`);
  for (const [i, record] of records.entries()) {
    const label = `warc record ${i} (${record.type}${record.targetUri ? ` ${record.targetUri}` : ''})`;
    const block = sha256Digest(record.block);
    if (record.blockDigest !== block) differences.push(`${label}: block hashes to ${block}, its WARC-Block-Digest says ${record.blockDigest ?? 'nothing'}`);
    if (record.type === 'request' || record.type === 'response') {
      const http = httpPayload(record.block);
      if (!http) differences.push(`${label}: no HTTP header block`);
      else {
        const payload = sha256Digest(http.payload);
        if (record.payloadDigest !== payload) differences.push(`${label}: payload hashes to ${payload}, its WARC-Payload-Digest says ${record.payloadDigest ?? 'nothing'}`);
      }
    }
    const entry = listed[i];
    if (!entry) continue;
    if (entry.id !== record.id) differences.push(`${label}: WARC-Record-ID is ${record.id}, the manifest says ${entry.id}`);
    if (entry.type !== record.type) differences.push(`${label}: type is ${record.type}, the manifest says ${entry.type}`);
    if ((entry.targetUri ?? null) !== record.targetUri) differences.push(`${label}: WARC-Target-URI is ${record.targetUri}, the manifest says ${entry.targetUri}`);
    if (entry.blockDigest !== record.blockDigest) differences.push(`${label}: WARC-Block-Digest is ${record.blockDigest}, the manifest says ${entry.blockDigest}`);
    if ((entry.payloadDigest ?? null) !== (record.payloadDigest ?? null)) differences.push(`${label}: WARC-Payload-Digest is ${record.payloadDigest}, the manifest says ${entry.payloadDigest}`);
  }
}

function compareExchanges(manifest: ParsedManifest, records: ReadRecord[], differences: string[]): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  const exchanges = manifest.fetch.exchanges;
  for (const [i, exchange] of exchanges.entries()) {
    const label = `manifest fetch.exchanges[${i}]`;
    const [requestId, responseId] = exchange.warcRecordIds;
    // an attempt that never connected has no records
    if (exchange.warcRecordIds.length === 0 && exchange.status === null && exchange.remoteAddress === null) continue;
    const request = requestId ? byId.get(requestId) : undefined;
    if (!request || request.type !== 'request') {
      differences.push(`${label}: request record ${requestId ?? '(none)'} is not in the WARC`);
      continue;
    }
    if (!request.targetUri || !sameUrl(request.targetUri, exchange.url)) differences.push(`${label}.url says ${exchange.url}, the WARC request is for ${request.targetUri}`);
    if (exchange.status === null) {
      if (responseId) differences.push(`${label}: no status, yet a response record ${responseId} is listed`);
      continue;
    }
    const response = responseId ? byId.get(responseId) : undefined;
    if (!response || response.type !== 'response') {
      differences.push(`${label}: response record ${responseId ?? '(none)'} is not in the WARC`);
      continue;
    }
    if (!request.concurrentTo.includes(response.id) || !response.concurrentTo.includes(request.id)) differences.push(`${label}: request and response records are not tied by WARC-Concurrent-To`);
    const statusLine = httpPayload(response.block)?.head.split('\r\n')[0] ?? '';
    const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (status !== exchange.status) differences.push(`${label}.status says ${exchange.status}, the WARC response says ${Number.isNaN(status) ? `"${statusLine.slice(0, 80)}"` : status}`);
    if ((exchange.remoteAddress ?? null) !== (response.ipAddress ?? null)) differences.push(`${label}.remoteAddress says ${exchange.remoteAddress}, the WARC-IP-Address is ${response.ipAddress}`);
  }
  const first = exchanges[0];
  const last = exchanges[exchanges.length - 1];
  if (first && !sameUrl(first.url, manifest.requestedUrl)) differences.push(`manifest requestedUrl says ${manifest.requestedUrl}, the first exchange is for ${first.url}`);
  if (last && !sameUrl(last.url, manifest.finalUrl)) differences.push(`manifest finalUrl says ${manifest.finalUrl}, the last exchange is for ${last.url}`);
}

/**
 * The body file must be what the last response in the WARC decodes to (its Content-Encoding
 * undone, cut at the body's recorded length like the crawler cut it): the page a reviewer reads
 * is the page that was received.
 */
async function compareBodyWithWarc(manifest: ParsedManifest, records: ReadRecord[], body: Uint8Array, differences: string[]): Promise<void> {
  const byId = new Map(records.map((r) => [r.id, r]));
  const last = [...manifest.fetch.exchanges].reverse().find((e) => e.warcRecordIds[1] && byId.get(e.warcRecordIds[1]));
  if (!last) return;
  const response = byId.get(last.warcRecordIds[1]!)!;
  const http = httpPayload(response.block);
  if (!http) return;
  const encoding = http.head
    .split('\r\n')
    .filter((line) => /^content-encoding\s*:/i.test(line))
    .map((line) => line.slice(line.indexOf(':') + 1).trim())
    .join(', ');
  const decoded = await decodeContent(http.payload, encoding || undefined, manifest.body.bytes, true, last.url);
  const decodedHash = sha256Hex(decoded.body);
  if (decodedHash !== sha256Hex(body)) differences.push(`body: the last WARC response (${last.url}) decodes to ${decoded.body.byteLength} bytes hashing to ${decodedHash}, the body file hashes to ${sha256Hex(body)}`);
}

export interface VerifyTarget {
  /** a manifest's SHA-256, or a path to a manifest file */
  target: string;
  /** the evidence directory; for a path, default the directory two levels up (`<root>/<h0h1>/<file>`) */
  root?: string;
}

export async function verifyEvidencePackage({ target, root }: VerifyTarget): Promise<VerifyReport> {
  let manifestPath: string;
  let namedHash: string | null = null;
  let store: EvidenceStore;
  if (isSha256Hex(target)) {
    if (!root) throw new HopwatchError('CLI_BAD_ARGUMENT', 'a hash needs the evidence directory: --evidence DIR or HOPWATCH_EVIDENCE_DIR');
    store = openEvidenceStore(root);
    const found = await store.find(target);
    if (!found || found.ext !== 'manifest.json') throw new HopwatchError('EVIDENCE_NOT_FOUND', `no manifest ${target}.manifest.json under ${store.root}`);
    manifestPath = found.path;
    namedHash = target;
  } else {
    manifestPath = path.resolve(target);
    const parsed = parseEvidenceName(path.basename(manifestPath));
    if (parsed && parsed.ext !== 'manifest.json') throw new HopwatchError('CLI_BAD_ARGUMENT', `${target} is a ${parsed.ext} file; verify takes a manifest (its hash or its .manifest.json file)`);
    namedHash = parsed?.sha256 ?? null;
    store = openEvidenceStore(root ?? path.dirname(path.dirname(manifestPath)));
  }

  let manifestBytes: Uint8Array;
  try {
    const size = (await stat(manifestPath)).size;
    if (size > MAX_MANIFEST_BYTES) throw new HopwatchError('EVIDENCE_NOT_FOUND', `${manifestPath} is ${size} bytes: not an evidence manifest`);
    manifestBytes = new Uint8Array(await readFile(manifestPath));
  } catch (err) {
    if (err instanceof HopwatchError) throw err;
    throw new HopwatchError('EVIDENCE_NOT_FOUND', `cannot read ${manifestPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const manifestHash = sha256Hex(manifestBytes);
  const differences: string[] = [];
  const files: string[] = [manifestPath];
  if (namedHash && namedHash !== manifestHash) differences.push(`manifest: ${manifestPath} hashes to ${manifestHash}, its name says ${namedHash} (the manifest was changed)`);

  let manifest: ParsedManifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
    if (!parsed.success) {
      differences.push(`manifest: not a ${'hopwatch.evidence/1'} manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return { ok: false, manifest: manifestHash, manifestPath, differences, checked: { records: 0, files } };
    }
    manifest = parsed.data;
  } catch (err) {
    differences.push(`manifest: not JSON (${err instanceof Error ? err.message : String(err)})`);
    return { ok: false, manifest: manifestHash, manifestPath, differences, checked: { records: 0, files } };
  }

  let records: ReadRecord[] = [];
  const warcBytes = await checkFile(store, manifest.warc.sha256, 'warc.gz', 'warc', differences, files);
  if (warcBytes) {
    if (warcBytes.byteLength !== manifest.warc.bytes) differences.push(`warc: the file is ${warcBytes.byteLength} bytes, the manifest says ${manifest.warc.bytes}`);
    try {
      records = await readWarcRecords(warcBytes);
    } catch (err) {
      differences.push(`warc: warcio cannot parse the file: ${err instanceof Error ? err.message : String(err)}`);
    }
    compareRecords(manifest, records, differences);
    compareExchanges(manifest, records, differences);
  }

  const body = await checkFile(store, manifest.body.sha256, 'html', 'body', differences, files);
  if (body && body.byteLength !== manifest.body.bytes) differences.push(`body: the file is ${body.byteLength} bytes, the manifest says ${manifest.body.bytes}`);
  if (body && records.length > 0) await compareBodyWithWarc(manifest, records, body, differences);
  if (manifest.screenshot) await checkFile(store, manifest.screenshot.sha256, 'png', 'screenshot', differences, files);

  return { ok: differences.length === 0, manifest: manifestHash, manifestPath, differences, checked: { records: records.length, files } };
}
