/**
 * A review world for tests: matches recorded through the store's real `recordCheck` on a random
 * key prefix, a reference set the test writes (two blocked sites under one legal order), the
 * shipped guard data, and a review server listening on 127.0.0.1:0, talked to over real HTTP.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Settings } from '../../src/config/settings.js';
import { openEvidenceStore, type EvidenceExt } from '../../src/evidence/evidenceStore.js';
import { buildServer } from '../../src/feed/server.js';
import { openEvidenceReader } from '../../src/feed/evidenceReader.js';
import { ReviewTokens } from '../../src/feed/reviewTokens.js';
import type { ReferenceSet } from '../../src/match/referenceSet.js';
import { ExportGuard } from '../../src/review/guard.js';
import { ReviewService } from '../../src/review/reviewService.js';
import { CheckStore, type CheckRecord } from '../../src/store/checkStore.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';

export const TOKENS = {
  viewer: 'viewer-token-0123456789abcdef',
  alice: 'alice-reviewer-token-0123456789',
  bob: 'bob-reviewer-token-0123456789ab',
  admin: 'admin-token-0123456789abcdef01',
};
export const TOKEN_SETTING = `vera:viewer:${TOKENS.viewer},alice:reviewer:${TOKENS.alice},bob:reviewer:${TOKENS.bob},root:admin:${TOKENS.admin}`;

/** Two blocked sites under one order, a third without one. Names are the test's own. */
export function testReferenceSet(): ReferenceSet {
  const legal = [{ authority: 'Tribunale di Prova (Test Court)', date: '2024-03-01', caseRef: 'RG 123/2024', scope: 'harbor.example, lantern.example and any future domain' }];
  return {
    format: 'hopwatch-reference-set', version: 1, fingerprintSchema: 1,
    sites: [
      { id: 'harbor', name: 'Harbor', domains: [{ domain: 'harbor.example', firstSeen: '2020-01-01' }], legal },
      { id: 'lantern', name: 'Lantern', domains: [{ domain: 'lantern.example', firstSeen: '2021-05-05' }], legal },
      { id: 'quay', name: 'Quay', domains: [], legal: [] },
    ],
    references: [],
  } as ReferenceSet;
}

export const ORDER_REF = 'tribunale-di-prova-2024-03-01-rg-123-2024';

export interface MatchSpec {
  domain: string;
  site: string;
  verdict?: 'mirror' | 'likely';
  score?: number;
  checkedAt?: number;
  addresses?: string[];
  manifest?: string;
  identifiers?: string[];
}

let job = 0;

export function matchRecord(spec: MatchSpec): CheckRecord {
  job += 1;
  const sha256 = createHash('sha256').update(`${spec.domain}:${job}`).digest('hex');
  return {
    domain: spec.domain, jobKey: `check:${job}:${Math.random()}`, checkedAt: spec.checkedAt ?? 1_750_000_000_000 + job * 1000, verdict: spec.verdict ?? 'mirror', site: spec.site,
    manifest: spec.manifest ?? null, relation: 'mirror', score: spec.score ?? 0.9, pageKind: 'ok', sha256, status: 200, finalUrl: `https://${spec.domain}/`, errorCode: null, liveness: 'alive', source: 'manual',
    evidenceJson: JSON.stringify({
      evidence: [
        { feature: 'page-similarity', matched: 'simhash distance 4/192', weight: 0.9, reference: `${spec.site}/home` },
        ...(spec.identifiers ?? ['G-TEST123']).map((id) => ({ feature: 'ga-measurement', matched: id, weight: 0.8, reference: `${spec.site}/home` })),
      ],
      fetch: { requestedUrl: `https://${spec.domain}/`, finalUrl: `https://${spec.domain}/`, redirects: [], status: 200, resolvedAddresses: spec.addresses ?? ['5.9.10.11'], connectedAddress: (spec.addresses ?? ['5.9.10.11'])[0] ?? null },
      probes: [],
    }),
  };
}

export interface ReviewWorld {
  settings: Settings;
  redis: Redis;
  checkStore: CheckStore;
  reviewStore: ReviewStore;
  service: ReviewService;
  app: FastifyInstance;
  base: string;
  evidenceDir: string;
  record(spec: MatchSpec): Promise<string>;
  /** write a file into the evidence dir by the contract's layout; returns its sha256 */
  putEvidence(bytes: Buffer | string, ext: string): Promise<string>;
  call(method: string, url: string, token?: string | null, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startReviewWorld(options: { fourEyesSites?: string; rateLimitMax?: number; redisUrl?: string; referenceSet?: ReferenceSet } = {}): Promise<ReviewWorld> {
  const settings = testSettings({ reviewTokens: TOKEN_SETTING, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) });
  const redis = new Redis(options.redisUrl ?? TEST_REDIS_URL);
  const keys = redisKeys(settings.keyPrefix);
  const checkStore = new CheckStore(redis, keys);
  const reviewStore = new ReviewStore(redis, keys);
  const evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-evidence-'));
  const evidence = openEvidenceReader(evidenceDir);
  const service = new ReviewService({ store: reviewStore, referenceSet: options.referenceSet ?? testReferenceSet(), guard: ExportGuard.load(), fourEyesSites: options.fourEyesSites ?? '', evidence, hopwatchVersion: 'test' });
  const app = await buildServer({ service, tokens: ReviewTokens.parse(TOKEN_SETTING), evidence, rateLimit: { max: options.rateLimitMax ?? 10_000, timeWindowMs: 60_000 }, viewTokenTtlMs: 60_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    settings, redis, checkStore, reviewStore, service, app, base, evidenceDir,
    async record(spec) {
      const outcome = await checkStore.recordCheck(matchRecord(spec));
      if (!outcome.feedId) throw new Error(`no feed entry for ${spec.domain}`);
      return outcome.feedId;
    },
    async putEvidence(bytes, ext) {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
      return (await openEvidenceStore(evidenceDir).put(new Uint8Array(buf), ext as EvidenceExt)).sha256;
    },
    async call(method, url, token = TOKENS.viewer, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async close() {
      await app.close();
      await dropPrefix(settings, options.redisUrl ?? TEST_REDIS_URL);
      redis.disconnect();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}
