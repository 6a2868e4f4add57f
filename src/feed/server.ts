/**
 * `hopwatch serve`: the review server (fastify 5), a thin edge over src/review.
 *
 * Order of the guards on a request: the rate limit counts it first (onRequest), then the bearer
 * token is checked (preParsing, so a refused token has been counted: a token cannot be guessed
 * faster than the limit, and a refused request's body is never parsed), then the route's role.
 * Only /healthz, the review page's shell and assets (no data in them) and /view (its own
 * short-lived capability) answer without a bearer token.
 */
import fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import bearerAuth from '@fastify/bearer-auth';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Queue } from 'bullmq';
import type { ReviewService } from '../review/reviewService.js';
import { apiRoutes } from './apiRoutes.js';
import { adminRoutes } from './adminRoutes.js';
import type { EvidenceReader } from './evidenceReader.js';
import { isSha256 } from './evidenceReader.js';
import { createFeedMetrics } from './feedMetrics.js';
import { errorBody, httpError } from './httpErrors.js';
import { reviewPagePlugin } from './reviewPage.js';
import type { ReviewIdentity, ReviewTokens } from './reviewTokens.js';
import { ViewTokens } from './viewTokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** who the bearer token belongs to; set by the auth hook, never from a request body */
    reviewer?: ReviewIdentity;
  }
}

export interface ServerDeps {
  service: ReviewService;
  tokens: ReviewTokens;
  evidence?: EvidenceReader | null;
  /** BullMQ queues shown on the admin dashboard */
  queues?: Queue[];
  rateLimit: { max: number; timeWindowMs: number };
  viewTokenTtlMs: number;
  /** fastify's logger option (pino); false in tests */
  logger?: FastifyServerOptions['logger'];
  clock?: () => number;
}

/** The sandbox a saved page is shown in: no scripts, no requests, no same-origin powers. */
export const VIEW_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Request log lines without the /view capability (a bearer token is a header, never logged). */
function redactUrl(url: string): string {
  return url.replace(/([?&]t=)[^&]*/g, '$1[redacted]');
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // header values are never logged (the request serializer below logs method, url and address
  // only), and the /view capability is cut out of the url
  const serializers = { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }) };
  const logger = deps.logger ? { ...(typeof deps.logger === 'object' ? deps.logger : {}), serializers } : false;
  const app = fastify({ logger, bodyLimit: 1024 * 1024 } as FastifyServerOptions);
  const metrics = createFeedMetrics();
  const viewTokens = new ViewTokens(deps.viewTokenTtlMs, deps.clock);
  const evidence = deps.evidence ?? null;

  app.decorateRequest('reviewer', undefined);
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = httpError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send(errorBody('FEED_NOT_FOUND', 'no such route'));
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.requests.inc({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  await app.register(helmet, {
    contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'frame-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'object-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'self'"], 'frame-ancestors': ["'self'"] } },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimit.max,
    timeWindow: deps.rateLimit.timeWindowMs,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, ...errorBody('FEED_RATE_LIMITED', `too many requests: at most ${ctx.max} per ${ctx.after}`) }),
  });

  app.get('/healthz', { config: { rateLimit: false } }, async () => ({ ok: true }));
  await app.register(reviewPagePlugin);

  app.get('/view/:sha256', async (req, reply) => {
    const { sha256 } = req.params as { sha256: string };
    const { t } = req.query as { t?: string };
    if (!isSha256(sha256) || !viewTokens.verify(sha256, t)) return reply.code(403).send(errorBody('FEED_FORBIDDEN', 'this view link is invalid or has expired; reopen the match'));
    const file = evidence ? await evidence.find(sha256) : null;
    const bytes = file && file.ext === 'html' ? await evidence!.read(sha256) : null;
    if (!bytes) return reply.code(404).send(errorBody('FEED_EVIDENCE_NOT_FOUND', `no saved page ${sha256}`));
    return reply
      .header('content-security-policy', VIEW_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html')
      .send(Buffer.from(bytes));
  });

  await app.register(async (api) => {
    await api.register(bearerAuth, {
      keys: new Set<string>(),
      addHook: 'preParsing',
      verifyErrorLogLevel: 'info',
      auth: (key: string, req: { reviewer?: ReviewIdentity }) => {
        const identity = deps.tokens.authenticate(key);
        if (!identity) return false;
        req.reviewer = identity;
        return true;
      },
      // every refusal (no header, not Bearer, unknown token) comes through here
      errorResponse: (err: Error) => {
        metrics.authFailures.inc();
        return errorBody('FEED_UNAUTHORIZED', `${err.message}: send Authorization: Bearer <token>`);
      },
    });
    await apiRoutes(api, { service: deps.service, evidence, viewTokens, metrics });
    await adminRoutes(api, { metrics, queues: deps.queues ?? [] });
  });

  return app;
}
