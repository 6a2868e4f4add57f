/**
 * The evidence manifest (`hopwatch.evidence/1`): one JSON file that says what was checked, when,
 * how (resolver, addresses, TLS, redirects), what hopwatch concluded and why (verdict, evidence,
 * fingerprint, the reference page matched and its provenance), and the SHA-256 of every other
 * file of the package, so the manifest's own hash (its file name) seals the whole package.
 *
 * Pure: the caller passes the time and every hash.
 */
import { z } from 'zod';
import type { ConnectionRecord } from '../crawler/connectionLog.js';
import type { FetchRecord, RedirectHop, TlsDetails } from '../crawler/types.js';
import type { PageFingerprint } from '../fingerprint/types.js';
import type { Evidence } from '../match/types.js';
import type { HttpExchange } from '../crawler/types.js';
import type { WarcFile, WarcRecordSummary } from './warcWriter.js';

export const MANIFEST_SCHEMA = 'hopwatch.evidence/1';

/** What the check concluded: the part of a CheckResult the manifest keeps. */
export interface EvidenceJudgement {
  verdict: string;
  site: string | null;
  relation: string | null;
  score: number;
  pageKind: string;
  pageKindReason?: string;
  evidence: Evidence[];
}

export interface EvidenceReference {
  siteId: string;
  pageId: string;
  provenance: Record<string, string>;
}

export interface ManifestExchange {
  url: string;
  status: number | null;
  remoteAddress: string | null;
  startedAt: string;
  rawBodyBytes: number;
  rawBodyTruncated: boolean;
  /** request record id, then the response record id when a response arrived */
  warcRecordIds: string[];
}

export interface EvidenceManifest {
  schema: typeof MANIFEST_SCHEMA;
  createdAt: string;
  hopwatchVersion: string;
  domain: string;
  requestedUrl: string;
  finalUrl: string;
  verdict: string;
  site: string | null;
  relation: string | null;
  score: number;
  pageKind: string;
  pageKindReason: string | null;
  title: string | null;
  evidence: Evidence[];
  /** earlier tries of the check that got no response (https before http), and the reference paths probed: not in the WARC */
  attempts: Array<{ url: string; error: string }>;
  probes: Array<{ url: string; status: number | null; verdict: string; score: number; error: string | null }>;
  fingerprint: Pick<PageFingerprint, 'schema' | 'simhash' | 'featureCounts' | 'identifiers' | 'canonicalUrl' | 'sha256'> | null;
  reference: EvidenceReference | null;
  fetch: {
    fetchedAt: string;
    resolver: string;
    resolvedAddresses: string[];
    connectedAddress: string | null;
    status: number | null;
    tls: TlsDetails | null;
    /** per connection: protocol, cipher, chain (the PEM itself is in the WARC metadata record) */
    connections: Array<Omit<ConnectionRecord, 'tls'> & { tls: (Omit<NonNullable<ConnectionRecord['tls']>, 'certificateChainPem'> & { certificates: number }) | null }>;
    redirects: RedirectHop[];
    exchanges: ManifestExchange[];
    error: { code: string; message: string } | null;
  };
  warc: { sha256: string; bytes: number; records: WarcRecordSummary[] };
  body: { sha256: string; bytes: number; contentType: string | null; charset: string; truncated: boolean };
  screenshot: { sha256: string } | null;
  /** the settings that shaped the result (limits, probes, SSRF policy) */
  settings: Record<string, unknown>;
}

export interface ManifestInput {
  createdAt: string;
  hopwatchVersion: string;
  domain: string;
  judgement: EvidenceJudgement;
  record: FetchRecord;
  exchanges: readonly HttpExchange[];
  connections: readonly ConnectionRecord[];
  fingerprint: PageFingerprint | null;
  reference: EvidenceReference | null;
  resolver: string;
  attempts?: EvidenceManifest['attempts'];
  probes?: EvidenceManifest['probes'];
  warc: { sha256: string; file: WarcFile };
  body: { sha256: string };
  screenshot: { sha256: string } | null;
  settings: Record<string, unknown>;
}

export function buildManifest(input: ManifestInput): EvidenceManifest {
  const { record, judgement, fingerprint } = input;
  return {
    schema: MANIFEST_SCHEMA,
    createdAt: input.createdAt,
    hopwatchVersion: input.hopwatchVersion,
    domain: input.domain,
    requestedUrl: record.requestedUrl,
    finalUrl: record.finalUrl,
    verdict: judgement.verdict,
    site: judgement.site,
    relation: judgement.relation,
    score: judgement.score,
    pageKind: judgement.pageKind,
    pageKindReason: judgement.pageKindReason ?? null,
    title: fingerprint?.title ?? null,
    evidence: judgement.evidence,
    attempts: input.attempts ?? [],
    probes: input.probes ?? [],
    fingerprint: fingerprint
      ? { schema: fingerprint.schema, simhash: fingerprint.simhash, featureCounts: fingerprint.featureCounts, identifiers: fingerprint.identifiers, canonicalUrl: fingerprint.canonicalUrl, sha256: fingerprint.sha256 }
      : null,
    reference: input.reference,
    fetch: {
      fetchedAt: record.fetchedAt,
      resolver: input.resolver,
      resolvedAddresses: record.resolvedAddresses,
      connectedAddress: record.connectedAddress,
      status: record.status,
      tls: record.tls,
      connections: input.connections.map(({ tls, ...rest }) => ({
        ...rest,
        tls: tls ? { protocol: tls.protocol, cipher: tls.cipher, alpnProtocol: tls.alpnProtocol, servername: tls.servername, authorized: tls.authorized, authorizationError: tls.authorizationError, certificates: tls.certificateChainPem.length } : null,
      })),
      redirects: record.redirects,
      exchanges: input.exchanges.map((exchange, i) => ({
        url: exchange.url,
        status: exchange.status,
        remoteAddress: exchange.remoteAddress,
        startedAt: exchange.startedAt,
        rawBodyBytes: exchange.rawBody.byteLength,
        rawBodyTruncated: exchange.rawBodyTruncated,
        warcRecordIds: input.warc.file.exchangeRecordIds[i] ?? [],
      })),
      error: record.error ? { code: record.error.code, message: record.error.message } : null,
    },
    warc: { sha256: input.warc.sha256, bytes: input.warc.file.bytes.byteLength, records: input.warc.file.records },
    body: { sha256: input.body.sha256, bytes: record.body.byteLength, contentType: record.contentType, charset: record.charset, truncated: record.bodyTruncated },
    screenshot: input.screenshot,
    settings: input.settings,
  };
}

/** Stable bytes of a manifest: two-space JSON and a final newline (the hash is over these bytes). */
export function manifestBytes(manifest: EvidenceManifest): Uint8Array {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const recordSummary = z.object({
  id: z.string(),
  type: z.string(),
  targetUri: z.string().nullable(),
  blockDigest: z.string(),
  payloadDigest: z.string().nullable(),
  exchange: z.number().int().nullable(),
});

/** What `verify` needs to trust in a manifest before comparing; the rest is reported, not parsed. */
export const manifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  createdAt: z.string(),
  domain: z.string(),
  requestedUrl: z.string(),
  finalUrl: z.string(),
  verdict: z.string(),
  fetch: z.object({
    exchanges: z.array(z.object({ url: z.string(), status: z.number().int().nullable(), remoteAddress: z.string().nullable(), warcRecordIds: z.array(z.string()) }).passthrough()),
  }).passthrough(),
  warc: z.object({ sha256: sha, bytes: z.number().int().nonnegative(), records: z.array(recordSummary) }),
  body: z.object({ sha256: sha, bytes: z.number().int().nonnegative() }).passthrough(),
  screenshot: z.object({ sha256: sha }).nullable(),
}).passthrough();

export type ParsedManifest = z.infer<typeof manifestSchema>;
