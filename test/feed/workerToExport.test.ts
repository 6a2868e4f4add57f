/**
 * End to end in the local world: a worker checks a mirror and writes its evidence package, the
 * match appears in GET /api/matches with the manifest (detail, sandboxed view, WARC download),
 * a reviewer confirms it over HTTP, and the domain shows up in every export format; the world's
 * loopback address is what the worker connected to, and the guard leaves it out of the IP lists.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceReader } from '../../src/feed/evidenceReader.js';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/feed/server.js';
import { ReviewTokens } from '../../src/feed/reviewTokens.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startCheckWorker, type CheckWorker } from '../../src/queue/checkWorker.js';
import { ExportGuard } from '../../src/review/guard.js';
import { ReviewService } from '../../src/review/reviewService.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { parseCsv } from '../../src/review/csv.js';
import { startManyHosts, type ManyHostsWorld } from '../world/manyHosts.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { dropPrefix, testSettings, waitFor } from '../queue/queueHarness.js';
import { TOKENS, TOKEN_SETTING } from './reviewHarness.js';

describe('a worker match through review to every export', () => {
  let world: ManyHostsWorld;
  let worker: CheckWorker;
  let app: FastifyInstance;
  let base: string;
  let evidenceDir: string;
  let settings: ReturnType<typeof testSettings>;

  beforeAll(async () => {
    evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-e2e-evidence-'));
    settings = testSettings({ reviewTokens: TOKEN_SETTING, evidenceDir });
    world = await startManyHosts({});
    const index = buildWorldReferenceIndex();
    worker = await startCheckWorker({ settings, index, domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 0 }, schedulers: false });
    const service = new ReviewService({ store: new ReviewStore(worker.store.redisClient, worker.store.keys), referenceSet: index.referenceSet, guard: ExportGuard.load(), fourEyesSites: '', evidence: openEvidenceReader(evidenceDir), hopwatchVersion: 'test' });
    app = await buildServer({ service, evidence: openEvidenceReader(evidenceDir), tokens: ReviewTokens.parse(TOKEN_SETTING), rateLimit: { max: 10_000, timeWindowMs: 60_000 }, viewTokenTtlMs: 60_000 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await world?.close();
    await dropPrefix(settings);
    await rm(evidenceDir, { recursive: true, force: true });
  });

  const get = (path: string, token = TOKENS.viewer) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('matches, is confirmed, and is exported', async () => {
    const mirror = world.domain('mirror', 'review-e2e');
    await enqueueDomains(worker.queue, worker.store, worker.settings, [mirror], 'manual');
    const listed = await waitFor('the match in GET /api/matches', async () => {
      const page = (await (await get('/api/matches')).json()) as { items: Array<{ id: string; domain: string; site: string; state: string; manifest: string | null }> };
      return page.items.find((m) => m.domain === mirror) ?? null;
    });
    expect(listed).toMatchObject({ site: 'harbor', state: 'unreviewed', manifest: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // the worker's evidence package: the manifest inlined, the saved page in the sandboxed view, the WARC downloadable
    const detail = (await (await get(`/api/matches/${listed.id}`)).json()) as { manifestJson: { domain: string; warc: { sha256: string } }; candidateView: string };
    expect(detail.manifestJson.domain).toBe(mirror);
    const view = await fetch(`${base}${detail.candidateView}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-security-policy')).toContain('sandbox');
    const warc = await get(`/api/evidence/${detail.manifestJson.warc.sha256}`);
    expect(warc.status).toBe(200);
    expect(warc.headers.get('content-disposition')).toContain('.warc.gz');

    const res = await fetch(`${base}/api/matches/${listed.id}/decisions`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.alice}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'confirm', reason: 'same template as the reference pages' }) });
    expect(res.status).toBe(201);

    const blocklist = await (await get('/api/export?site=harbor&format=blocklist')).text();
    expect(blocklist).toMatch(new RegExp(`^${mirror.replace(/\./g, '\\.')}$`, 'm'));
    const csv = parseCsv(await (await get('/api/export?site=harbor&format=csv')).text());
    expect(csv.some((r) => r[0] === 'fqdn' && r[1] === mirror && r[9] === 'false')).toBe(true);
    const jsonl = (await (await get('/api/export?site=harbor&format=jsonl')).text()).trim().split('\n').map((l) => JSON.parse(l) as { value: string; kind: string });
    expect(jsonl.some((o) => o.kind === 'fqdn' && o.value === mirror)).toBe(true);
    const ticket = (await (await get('/api/export?site=harbor&format=ticket')).json()) as { fqdn: string[]; ipv4: string[]; excluded: Array<{ value: string; reason: string }>; forensic_evidence: { hash: Array<{ hash_string: string }> } };
    expect(ticket.fqdn).toContain(mirror);
    // the world answers on loopback: an address no blocklist may carry
    expect(ticket.ipv4).toEqual([]);
    expect(ticket.excluded.find((e) => e.value === '127.0.0.1')?.reason).toBe('not a public address (loopback)');
    expect(ticket.forensic_evidence.hash.map((h) => h.hash_string)).toContain(listed.manifest);
  }, 60_000);
});
