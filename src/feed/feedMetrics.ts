/** Prometheus metrics of the review server, in a registry of its own (a test may build several servers). */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

export interface FeedMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  authFailures: Counter;
  decisions: Counter<'decision'>;
  exports: Counter<'format'>;
}

export function createFeedMetrics(): FeedMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hopwatch_serve_' });
  return {
    registry,
    requests: new Counter({ name: 'hopwatch_serve_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    authFailures: new Counter({ name: 'hopwatch_serve_auth_failures_total', help: 'requests refused for a missing, malformed or unknown bearer token', registers: [registry] }),
    decisions: new Counter({ name: 'hopwatch_serve_decisions_total', help: 'review decisions recorded through the server', labelNames: ['decision'], registers: [registry] }),
    exports: new Counter({ name: 'hopwatch_serve_exports_total', help: 'exports served, by format', labelNames: ['format'], registers: [registry] }),
  };
}
