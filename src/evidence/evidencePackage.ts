/**
 * Write one evidence package: the WARC of the fetch, the decoded body (`html`), the screenshot
 * if a screenshot function is injected, then the manifest naming all their hashes. The manifest
 * goes last, so a manifest on disk never names a file that is not there yet; its SHA-256 is what
 * the feed entry carries.
 */
import type { FetchRecord } from '../crawler/types.js';
import type { PageFingerprint } from '../fingerprint/types.js';
import { version } from '../version.js';
import type { EvidenceStore } from './evidenceStore.js';
import { buildManifest, manifestBytes, type EvidenceJudgement, type EvidenceManifest, type EvidenceReference } from './manifest.js';
import { buildWarc } from './warcWriter.js';

/** The contract's screenshot function (src/evidence/screenshot.ts, review-page helper). */
export type ScreenshotFunction = (body: Uint8Array, opts: { url: string; charset: string; timeoutMs?: number }) => Promise<Uint8Array | null>;

/** The fetch to archive: every exchange (always recorded) and, with `recordConnections`, every connection. */
export type EvidenceFetchRecord = FetchRecord;

export interface EvidencePackageInput {
  domain: string;
  judgement: EvidenceJudgement;
  /** the fetch whose page decided the result */
  record: EvidenceFetchRecord;
  fingerprint: PageFingerprint | null;
  reference: EvidenceReference | null;
  /** how names were resolved, in words (`system (getaddrinfo)`, `dns 127.0.0.1:5353`) */
  resolver: string;
  /** the check's other tries and probes, listed in the manifest (their bytes are not archived) */
  attempts?: EvidenceManifest['attempts'];
  probes?: EvidenceManifest['probes'];
  settings: Record<string, unknown>;
}

export interface EvidencePackageOptions {
  store: EvidenceStore;
  /** ms clock for `createdAt`; default Date.now */
  clock?: () => number;
  screenshot?: ScreenshotFunction;
  screenshotTimeoutMs?: number;
}

export interface EvidencePackage {
  /** SHA-256 of the manifest file: the package's name */
  manifest: string;
  warc: string;
  body: string;
  screenshot: string | null;
  manifestJson: EvidenceManifest;
}

export async function writeEvidencePackage(input: EvidencePackageInput, options: EvidencePackageOptions): Promise<EvidencePackage> {
  const { record } = input;
  const clock = options.clock ?? Date.now;
  const createdAt = new Date(clock()).toISOString();
  const connections = record.connections ?? [];

  const warcFile = await buildWarc({
    exchanges: record.exchanges,
    connections,
    createdAt,
    software: `hopwatch/${version}`,
    filename: `hopwatch-${input.domain}-${createdAt.replace(/[:.]/g, '')}.warc.gz`,
    info: { 'hopwatch-domain': input.domain, 'hopwatch-requested-url': record.requestedUrl, 'hopwatch-verdict': input.judgement.verdict },
  });
  const warc = await options.store.put(warcFile.bytes, 'warc.gz');
  const body = await options.store.put(record.body, 'html');

  let screenshot: { sha256: string } | null = null;
  if (options.screenshot && record.isHtml && record.body.byteLength > 0) {
    // a page that cannot be rendered is still evidence: the package is written without the picture
    const png = await options
      .screenshot(record.body, { url: record.finalUrl, charset: record.charset, ...(options.screenshotTimeoutMs ? { timeoutMs: options.screenshotTimeoutMs } : {}) })
      .catch(() => null);
    if (png) screenshot = { sha256: (await options.store.put(png, 'png')).sha256 };
  }

  const manifestJson = buildManifest({
    createdAt,
    hopwatchVersion: version,
    domain: input.domain,
    judgement: input.judgement,
    record,
    exchanges: record.exchanges,
    connections,
    fingerprint: input.fingerprint,
    reference: input.reference,
    resolver: input.resolver,
    ...(input.attempts ? { attempts: input.attempts } : {}),
    ...(input.probes ? { probes: input.probes } : {}),
    warc: { sha256: warc.sha256, file: warcFile },
    body: { sha256: body.sha256 },
    screenshot,
    settings: input.settings,
  });
  const manifest = await options.store.put(manifestBytes(manifestJson), 'manifest.json');
  return { manifest: manifest.sha256, warc: warc.sha256, body: body.sha256, screenshot: screenshot?.sha256 ?? null, manifestJson };
}
