/**
 * The worker's Prometheus endpoint over real HTTP: counters and gauges move with the checks it
 * runs, and the server is gone once the worker is closed (a held-open scrape included).
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { isHopwatchError } from '../../src/errors.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { freePort, queueSettled, testSettings, waitFor, worldWorkers } from './queueHarness.js';

/** GET over a given agent (keep-alive in one test), body as text; bounded so a hang fails fast. */
function get(url: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out')));
    req.on('error', reject);
  });
}

/** The value of one sample (`name{labels} value`), 0 when absent (prom-client omits unused label sets). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('worker metrics', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 3000 });
  const { workers } = fixture;

  it('/metrics moves with the checks run, and closes with the worker', async () => {
    const port = await freePort();
    const settings = testSettings({ metricsPort: port });
    const w = await workers.start(settings);
    expect(w.metricsPort).toBe(port);
    const url = `http://127.0.0.1:${port}/metrics`;

    const before = await get(url);
    expect(before.status).toBe(200);
    expect(sample(before.body, 'hopwatch_checks_total', { outcome: 'judged', verdict: 'mirror' })).toBe(0);
    expect((await get(`http://127.0.0.1:${port}/other`)).status).toBe(404);

    const mirror = fixture.world.domain('mirror', 'metrics');
    const gone = fixture.world.domain('gone', 'metrics');
    await enqueueDomains(w.queue, w.store, settings, [mirror, gone], 'manual');
    // a dead domain is a result: both jobs complete
    await waitFor('both checks finished', async () => (await w.queue.getCompletedCount()) === 2 && (await queueSettled(w)));

    const after = (await get(url)).body;
    expect(sample(after, 'hopwatch_checks_total', { outcome: 'judged', verdict: 'mirror' })).toBe(1);
    expect(sample(after, 'hopwatch_checks_total', { outcome: 'gave-up', verdict: 'inconclusive' })).toBe(1);
    expect(sample(after, 'hopwatch_check_errors_total', { code: 'CRAWL_DNS_NXDOMAIN' })).toBe(1);
    expect(sample(after, 'hopwatch_feed_entries_total')).toBe(1);
    expect(sample(after, 'hopwatch_check_duration_seconds_count')).toBe(2);
    // gauges read from Redis at scrape time
    expect(sample(after, 'hopwatch_queue_jobs', { state: 'completed' })).toBe(2);
    expect(sample(after, 'hopwatch_queue_jobs', { state: 'failed' })).toBe(0);
    expect(sample(after, 'hopwatch_queue_jobs', { state: 'wait' })).toBe(0);
    expect(sample(after, 'hopwatch_worker_process_resident_memory_bytes')).toBeGreaterThan(0);

    // a scraper holding a keep-alive connection must not keep the worker from closing
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(url, agent)).status).toBe(200);
      const started = Date.now();
      await workers.closeAll();
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      agent.destroy();
    }
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a taken metrics port stops the start with QUEUE_METRICS_LISTEN', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      const settings = testSettings({ metricsPort: port });
      const failure = await workers.start(settings).then(
        () => null,
        (err: unknown) => err,
      );
      expect(isHopwatchError(failure) && failure.code).toBe('QUEUE_METRICS_LISTEN');
      expect(String((failure as Error).message)).toContain(`127.0.0.1:${port}`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
