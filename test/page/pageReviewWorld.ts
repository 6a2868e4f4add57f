/**
 * A review server for the page's browser tests and the README screenshots: the real
 * `buildServer` over a real Redis (random key prefix), the world's blocked site ("Harbor
 * Torrents", fingerprinted from the world's original pages) under a legal order, and matches
 * recorded through the store's `recordCheck` from pages the project writes. Each page is
 * fingerprinted and matched for real (pure functions); its evidence package is written the way
 * the contract lays it out (body as .html, screenshot as .png, a manifest naming both).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { captureScreenshot } from '../../src/evidence/screenshot.js';
import { openEvidenceReader } from '../../src/feed/evidenceReader.js';
import { ReviewTokens } from '../../src/feed/reviewTokens.js';
import { buildServer } from '../../src/feed/server.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import type { ReferenceSet } from '../../src/match/referenceSet.js';
import { ExportGuard } from '../../src/review/guard.js';
import { ReviewService } from '../../src/review/reviewService.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { buildWorldReferenceSet, WORLD_SITE_ID, worldReferencePages } from '../world/worldReferences.js';
import { openEvidenceStore } from '../../src/evidence/evidenceStore.js';

export const PAGE_TOKENS = {
  reviewer: `rev-${randomBytes(12).toString('hex')}`,
  viewer: `view-${randomBytes(12).toString('hex')}`,
};
export const REVIEWER_NAME = 'avv.rossi';
const TOKEN_SETTING = `${REVIEWER_NAME}:reviewer:${PAGE_TOKENS.reviewer},analyst.viewer:viewer:${PAGE_TOKENS.viewer}`;

/** The world's blocked site, with the legal order a court would have issued. */
export function orderedReferenceSet(): ReferenceSet {
  const set = buildWorldReferenceSet();
  return {
    ...set,
    sites: set.sites.map((site) => site.id === WORLD_SITE_ID
      ? { ...site, legal: [{ authority: 'Tribunale di Prova (test court)', date: '2024-03-01', caseRef: 'RG 123/2024', scope: 'Harbor Torrents and any future domain' }] }
      : site),
  };
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Settings on a random key prefix with the page's tokens (not the queue harness's: this module
 * also runs outside vitest, in scripts/review-screenshots.ts).
 */
export function pageSettings(overrides: Record<string, unknown> = {}): Settings {
  return loadSettings({}, { redisUrl: REDIS_URL, keyPrefix: `hwpage-${randomBytes(5).toString('hex')}`, reviewTokens: TOKEN_SETTING, politenessDelayMs: 0, recheckIntervalMs: 0, ...overrides });
}

/** Delete every key under the prefix (SCAN in pages, never KEYS or FLUSH). */
async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', '1000');
    cursor = next;
    if (found.length > 0) await redis.unlink(...found);
  } while (cursor !== '0');
}

export interface RecordedPage {
  id: string;
  domain: string;
  verdict: string;
  identifiers: string[];
}

export interface PageRecordOptions {
  /** the URL the page was "fetched" from; default https://<domain>/ */
  url?: string;
  checkedAt?: number;
  source?: string;
  /** take a screenshot for the evidence package (headless Chromium; skipped when absent) */
  screenshot?: boolean;
  /** the fetch record to keep; default: a plain HTTPS fetch on loopback */
  fetch?: Record<string, unknown>;
}

export interface PageReviewWorld {
  base: string;
  settings: Settings;
  app: FastifyInstance;
  evidenceDir: string;
  /** fingerprint, match, write the evidence and record the check; throws if the page is no match */
  recordPage(domain: string, html: string, options?: PageRecordOptions): Promise<RecordedPage>;
  close(): Promise<void>;
}

function defaultFetch(url: string, sha256: string, bytes: number, at: number): Record<string, unknown> {
  const host = new URL(url).hostname;
  return {
    requestedUrl: `http://${host}/`, finalUrl: url, status: 200,
    redirects: [{ url: `http://${host}/`, status: 301, kind: 'http', location: url, connectedAddress: '127.0.0.1' }],
    resolvedAddresses: ['127.0.0.1'], connectedAddress: '127.0.0.1',
    tls: { authorized: true, authorizationError: null, subject: `CN=${host}`, subjectAltNames: [`DNS:${host}`, `DNS:www.${host}`], issuer: 'CN=hopwatch world CA', validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', fingerprint256: 'AB:CD:EF:01:23:45:67:89' },
    contentType: 'text/html; charset=utf-8', charset: 'utf-8', bytes, bodyTruncated: false, sha256, fetchedAt: new Date(at).toISOString(), error: null,
  };
}

/**
 * `settings.evidenceDir`, when set, is where the server reads evidence (a worker on the same
 * settings writes its packages there); otherwise a temporary directory is used. Either is
 * deleted on close.
 */
export async function startPageReviewWorld(options: { rateLimitMax?: number; settings?: Settings; port?: number } = {}): Promise<PageReviewWorld> {
  const settings = options.settings ?? pageSettings();
  const redis = new Redis(settings.redisUrl);
  const keys = redisKeys(settings.keyPrefix);
  const checkStore = new CheckStore(redis, keys);
  const evidenceDir = settings.evidenceDir || (await mkdtemp(path.join(os.tmpdir(), 'hopwatch-page-evidence-')));
  const evidence = openEvidenceReader(evidenceDir);
  // the reference pages' bodies, kept as `refs add --evidence-dir` keeps them: shown beside a candidate
  const store = openEvidenceStore(evidenceDir);
  for (const page of worldReferencePages()) await store.put(Buffer.from(page.html), 'html');
  const referenceSet = orderedReferenceSet();
  const index = ReferenceIndex.build(referenceSet);
  const service = new ReviewService({ store: new ReviewStore(redis, keys), referenceSet, guard: ExportGuard.load(), fourEyesSites: '', evidence, hopwatchVersion: 'test' });
  const app = await buildServer({ service, tokens: ReviewTokens.parse(TOKEN_SETTING), evidence, rateLimit: { max: options.rateLimitMax ?? 100_000, timeWindowMs: 60_000 }, viewTokenTtlMs: 10 * 60_000 });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const put = async (bytes: Uint8Array, ext: string): Promise<string> => {
    const sha = createHash('sha256').update(bytes).digest('hex');
    await mkdir(path.join(evidenceDir, sha.slice(0, 2)), { recursive: true });
    await writeFile(path.join(evidenceDir, sha.slice(0, 2), `${sha}.${ext}`), bytes);
    return sha;
  };
  let job = 0;

  return {
    base, app, evidenceDir, settings,
    async recordPage(domain, html, opts = {}) {
      job += 1;
      const url = opts.url ?? `https://${domain}/`;
      const checkedAt = opts.checkedAt ?? Date.UTC(2026, 10, 20, 9, 0) + job * 60_000;
      const body = new TextEncoder().encode(html);
      const fp = fingerprintPage({ body, contentType: 'text/html; charset=utf-8', status: 200, url });
      const match = index.match(fp);
      if (match.verdict !== 'mirror' && match.verdict !== 'likely') throw new Error(`${domain}: the page is no match (${match.verdict})`);
      const bodySha = await put(body, 'html');
      const png = opts.screenshot ? await captureScreenshot(body, { url, charset: 'utf-8' }) : null;
      const shotSha = png ? await put(png, 'png') : null;
      const fetch = opts.fetch ?? defaultFetch(url, bodySha, body.byteLength, checkedAt);
      const reference = match.evidence.find((e) => e.reference)?.reference ?? null;
      const page = referenceSet.references.find((r) => r.id === reference);
      const manifest = {
        schema: 'hopwatch.evidence/1', createdAt: new Date(checkedAt).toISOString(), hopwatchVersion: 'test', domain, requestedUrl: fetch.requestedUrl, finalUrl: url,
        verdict: match.verdict, site: match.site, relation: match.relation, score: match.score, pageKind: fp.pageKind, title: fp.title, evidence: match.evidence,
        fingerprint: { simhash: fp.simhash, identifiers: fp.identifiers.map((i) => i.value) },
        reference: page ? { siteId: page.site, pageId: page.id, provenance: page.provenance } : null,
        fetch, warc: null, body: { sha256: bodySha, contentType: 'text/html; charset=utf-8', charset: 'utf-8' }, screenshot: shotSha ? { sha256: shotSha } : null,
        settings: { note: 'written by the page tests' },
      };
      const manifestSha = await put(new TextEncoder().encode(JSON.stringify(manifest, null, 1)), 'manifest.json');
      const outcome = await checkStore.recordCheck({
        domain, jobKey: `page:${job}:${randomBytes(4).toString('hex')}`, checkedAt, verdict: match.verdict, site: match.site, relation: match.relation, score: match.score,
        pageKind: fp.pageKind, sha256: bodySha, status: 200, finalUrl: url, errorCode: null, liveness: 'alive', source: opts.source ?? 'manual',
        evidenceJson: JSON.stringify({ evidence: match.evidence, fetch, probes: [] }), manifest: manifestSha,
      });
      if (!outcome.feedId) throw new Error(`${domain}: no feed entry`);
      return { id: outcome.feedId, domain, verdict: match.verdict, identifiers: match.evidence.filter((e) => e.feature !== 'page-similarity').map((e) => e.matched) };
    },
    async close() {
      await app.close();
      await dropKeys(redis, settings.keyPrefix);
      redis.disconnect();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}
