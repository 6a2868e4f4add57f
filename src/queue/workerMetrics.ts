/**
 * Prometheus metrics of one worker (prom-client, its own registry so tests can start several),
 * served on an optional port. Queue depths are read from Redis when scraped, so they are the
 * fleet's, not this worker's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CheckOutcome } from './checkProcessor.js';
import type { CheckQueue } from './checkQueue.js';

export interface WorkerMetrics {
  registry: Registry;
  observe(outcome: CheckOutcome): void;
}

export function createWorkerMetrics(queue: CheckQueue): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hopwatch_worker_' });
  const outcomes = new Counter({ name: 'hopwatch_checks_total', help: 'checks by outcome (judged, retry, gave-up, politeness-delay, shutdown-delay) and verdict', labelNames: ['outcome', 'verdict'] as const, registers: [registry] });
  const errors = new Counter({ name: 'hopwatch_check_errors_total', help: 'checks that ended with a crawl error, by code', labelNames: ['code'] as const, registers: [registry] });
  const feed = new Counter({ name: 'hopwatch_feed_entries_total', help: 'new match-feed entries written by this worker', registers: [registry] });
  const transitions = new Counter({ name: 'hopwatch_liveness_changes_total', help: 'domains that died or came back', labelNames: ['to'] as const, registers: [registry] });
  const evidence = new Counter({ name: 'hopwatch_evidence_packages_total', help: 'evidence packages of new matches, by result (written, failed: the match was recorded without one)', labelNames: ['result'] as const, registers: [registry] });
  const duration = new Histogram({ name: 'hopwatch_check_duration_seconds', help: 'time of a check, politeness waits excluded', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  new Gauge({
    name: 'hopwatch_queue_jobs',
    help: 'jobs in the check queue by state (fleet-wide, read from Redis at scrape time)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed', 'completed');
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return {
    registry,
    observe(o) {
      outcomes.inc({ outcome: o.kind, verdict: o.verdict ?? 'none' });
      if (o.errorCode) errors.inc({ code: o.errorCode });
      if (o.newFeedEntry) feed.inc();
      if (o.transition) transitions.inc({ to: o.transition.to });
      if (o.evidence) evidence.inc({ result: o.evidence });
      if (o.kind === 'judged' || o.kind === 'gave-up' || o.kind === 'retry') duration.observe(o.durationMs / 1000);
    },
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  // a scraper that holds a connection open must not keep a stopping worker alive
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
