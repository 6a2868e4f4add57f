/**
 * The worker's log: one JSON line (pino) per check outcome at info, with domain, verdict, site,
 * ms and job id, and one per feed entry; the level setting silences them.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { createWorkerLogger, logEvents } from '../../src/queue/workerLog.js';
import { queueSettled, testSettings, waitFor, worldWorkers } from './queueHarness.js';

function logSink() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(pending.slice(0, i)) as Record<string, unknown>);
      pending = pending.slice(i + 1);
    }
  });
  return { stream, lines };
}

describe('worker log', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 5000 });

  it('logs one JSON line per check outcome and per feed entry', async () => {
    const sink = logSink();
    const settings = testSettings();
    const w = await fixture.workers.start(settings, { log: logEvents(createWorkerLogger('info', sink.stream)) });
    const mirror = fixture.world.domain('mirror', 'logged');
    const gone = fixture.world.domain('gone', 'logged');
    await enqueueDomains(w.queue, w.store, settings, [mirror, gone], 'manual');
    await waitFor('both checks logged', async () => sink.lines.filter((l) => l.msg === 'check').length >= 2 && (await queueSettled(w)));
    const checks = sink.lines.filter((l) => l.msg === 'check');
    expect(checks.find((l) => l.domain === mirror)).toMatchObject({ level: 30, outcome: 'judged', verdict: 'mirror', site: 'harbor', jobId: expect.any(String), ms: expect.any(Number), time: expect.any(String) });
    expect(checks.find((l) => l.domain === gone)).toMatchObject({ level: 30, outcome: 'gave-up', verdict: 'inconclusive', errorCode: 'CRAWL_DNS_NXDOMAIN' });
    expect(sink.lines.filter((l) => l.msg === 'feed entry')).toEqual([expect.objectContaining({ domain: mirror, site: 'harbor', feedId: expect.any(String) })]);
  });

  it('HOPWATCH_LOG_LEVEL=warn leaves check lines out', async () => {
    const sink = logSink();
    const settings = testSettings({ logLevel: 'warn' });
    expect(settings.logLevel).toBe('warn');
    const w = await fixture.workers.start(settings, { log: logEvents(createWorkerLogger(settings.logLevel, sink.stream)) });
    await enqueueDomains(w.queue, w.store, settings, [fixture.world.domain('mirror', 'quiet')], 'manual');
    await waitFor('the check', async () => (await w.store.candidate(fixture.world.domain('mirror', 'quiet')))?.state === 'checked');
    expect(sink.lines.filter((l) => l.msg === 'check')).toEqual([]);
  });
});
