import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import type { Settings } from '../../src/config/settings.js';
import { openEvidenceStore } from '../../src/evidence/evidenceStore.js';
import type { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startCheckWorker, type CheckWorker } from '../../src/queue/checkWorker.js';
import { runCli } from '../cli/cliHarness.js';
import { readWarcIndependently } from '../evidence/independentWarcReader.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { dropPrefix, freePort, queueSettled, testSettings, waitFor } from './queueHarness.js';

describe('a worker writes an evidence package for every match it records', () => {
  let world: World;
  let index: ReferenceIndex;
  let dir: string;
  let running: Array<{ worker: CheckWorker; settings: Settings }> = [];

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
    index = buildWorldReferenceIndex();
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-worker-evidence-'));
  });
  afterEach(async () => {
    for (const { worker, settings } of running) {
      await worker.close();
      await dropPrefix(settings);
    }
    running = [];
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(evidenceDir: string, log?: (e: Record<string, unknown>) => void, metricsPort = 0): Promise<CheckWorker> {
    const settings = testSettings({ evidenceDir, metricsPort });
    const worker = await startCheckWorker({ settings, index, domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 5000 }), maxProbePaths: 0 }, schedulers: false, ...(log ? { log } : {}) });
    running.push({ worker, settings });
    return worker;
  }

  it('the feed entry of a match carries the manifest hash of a package that verifies and parses', async () => {
    const evidenceDir = path.join(dir, 'ok');
    const w = await start(evidenceDir);
    await enqueueDomains(w.queue, w.store, w.settings, ['mirror-two.test', 'old.test', 'bakery.test'], 'manual');
    // old.test redirects to mirror-one.test, which the worker queues and checks as a new candidate
    const checked = async (d: string) => (await w.store.candidate(d))?.state === 'checked';
    await waitFor('the checks', async () => (await checked('bakery.test')) && (await checked('mirror-one.test')) && (await queueSettled(w)));
    const feed = await w.store.feed();
    expect(feed.map((e) => e.fields.domain).sort()).toEqual(['mirror-one.test', 'mirror-two.test', 'old.test']);
    const store = openEvidenceStore(evidenceDir);
    for (const entry of feed) {
      const manifest = entry.fields.manifest!;
      expect(manifest).toMatch(/^[0-9a-f]{64}$/);
      const verified = await runCli(['evidence', 'verify', manifest], '', { HOPWATCH_EVIDENCE_DIR: evidenceDir });
      expect(verified.stdout).toMatch(/^ok /);
      expect(verified.code).toBe(0);

      const json = JSON.parse(Buffer.from((await store.read(manifest))!).toString('utf8'));
      expect(json).toMatchObject({ schema: 'hopwatch.evidence/1', domain: entry.fields.domain, verdict: entry.fields.verdict, site: 'harbor' });
      expect(json.reference).toMatchObject({ siteId: 'harbor' });
      expect(json.fingerprint.simhash.structure).toMatch(/^[0-9a-f]{16}$/);
      const warc = (await store.read(json.warc.sha256))!;
      const types: string[] = [];
      for await (const record of new WARCParser([warc])) {
        types.push(record.warcType);
        await record.readFully(false);
      }
      expect(types.filter((t) => t === 'response')).toHaveLength(json.fetch.exchanges.length);
      expect(readWarcIndependently(warc).map((r) => r.headers.get('warc-type'))).toEqual(types);
    }
    // old.test answers 301 on http, then the https mirror: both hops are in its package
    const old = JSON.parse(Buffer.from((await store.read(feed.find((e) => e.fields.domain === 'old.test')!.fields.manifest!))!).toString('utf8'));
    expect(old.fetch.exchanges.map((e: { url: string; status: number }) => `${e.status} ${e.url}`)).toContain('301 http://old.test/');
    // the unrelated page got no package: three files per match (WARC, body, manifest), none for bakery.test
    const files = (await Promise.all((await readdir(evidenceDir)).map((d) => readdir(path.join(evidenceDir, d))))).flat();
    expect(files.filter((f) => f.endsWith('.manifest.json'))).toHaveLength(3);
  });

  it('a package that cannot be written loses nothing: the match is recorded without manifest, logged and counted', async () => {
    const notADir = path.join(dir, 'a-file');
    await writeFile(notADir, 'not a directory');
    const logged: Array<Record<string, unknown>> = [];
    const w = await start(notADir, (e) => logged.push(e), await freePort());
    await enqueueDomains(w.queue, w.store, w.settings, ['mirror-one.test'], 'manual');
    const [entry] = await waitFor('the feed entry', async () => {
      const feed = await w.store.feed();
      return feed.length > 0 ? feed : null;
    });
    expect(entry!.fields).toMatchObject({ domain: 'mirror-one.test', verdict: 'mirror' });
    expect(entry!.fields.manifest).toBeUndefined();
    expect(logged.find((e) => e.msg === 'evidence package not written')).toMatchObject({ domain: 'mirror-one.test', code: 'EVIDENCE_WRITE_FAILED' });
    await waitFor('the completed job', async () => (await w.queue.getCompleted())[0]);
    const metrics = await (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^hopwatch_evidence_packages_total\{result="failed"\} 1$/m);
  });
});
