/** The JSON API under /api (every route behind the bearer token; roles checked per route). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HopwatchError } from '../errors.js';
import { toCsv } from '../review/csv.js';
import { EXPORT_FORMATS, type ExportFormat } from '../review/exports.js';
import { parseMatchQuery } from '../review/matchQuery.js';
import type { MatchSummary } from '../review/matchSummary.js';
import type { MatchDetail, ReviewService } from '../review/reviewService.js';
import type { EvidenceReader } from './evidenceReader.js';
import { isSha256 } from './evidenceReader.js';
import type { FeedMetrics } from './feedMetrics.js';
import { errorBody } from './httpErrors.js';
import { hasRole, type Role } from './reviewTokens.js';
import type { ViewTokens } from './viewTokens.js';

export interface ApiDeps {
  service: ReviewService;
  evidence: EvidenceReader | null;
  viewTokens: ViewTokens;
  metrics: FeedMetrics;
}

/**
 * A match as GET /api/matches/:id sends it: the saved bodies' hashes become short-lived view
 * URLs (test/feed/pageTypes.test.ts holds the review page's types to this).
 */
export type MatchDetailResponse = Omit<MatchDetail, 'bodySha256' | 'referenceBodySha256'> & { candidateView: string | null; referenceView: string | null };

export function requireRole(role: Role) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!hasRole(req.reviewer, role)) {
      await reply.code(403).send(errorBody('FEED_FORBIDDEN', `this needs the ${role} role; your token has ${req.reviewer?.role ?? 'none'}`));
    }
  };
}

export const MATCH_CSV_COLUMNS = ['id', 'domain', 'site', 'verdict', 'relation', 'score', 'pageKind', 'title', 'recordedAt', 'source', 'state', 'manifest', 'identifiers'] as const;

export function matchesCsv(items: readonly MatchSummary[]): string {
  return toCsv(MATCH_CSV_COLUMNS, items.map((m) => MATCH_CSV_COLUMNS.map((c) => (c === 'identifiers' ? m.identifiers.join(' | ') : m[c]))));
}

type Format = 'json' | 'jsonl' | 'csv';

function chooseFormat(query: string | undefined, accept: string | undefined): Format {
  if (query) {
    if (query === 'json' || query === 'jsonl' || query === 'csv') return query;
    throw new HopwatchError('FEED_BAD_QUERY', 'format must be json, jsonl or csv');
  }
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes('application/x-ndjson') || a.includes('application/jsonl')) return 'jsonl';
  return 'json';
}

const EVIDENCE_TYPES: Record<string, string> = {
  'manifest.json': 'application/json; charset=utf-8',
  'warc.gz': 'application/warc+gzip',
  png: 'image/png',
  // a saved page is hostile content: never rendered from this origin, only downloaded or shown in /view's sandbox
  html: 'application/octet-stream',
};

export async function apiRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { service, metrics } = deps;
  const viewer = { preHandler: requireRole('viewer') };
  const reviewer = { preHandler: requireRole('reviewer') };

  api.get('/api/me', viewer, async (req) => ({ reviewer: req.reviewer!.reviewer, role: req.reviewer!.role }));

  api.get('/api/matches', viewer, async (req, reply) => {
    const raw = req.query as Record<string, string | undefined>;
    const page = await service.listMatches(parseMatchQuery(raw));
    const format = chooseFormat(raw.format, req.headers.accept);
    if (format === 'json') return page;
    reply.header('x-hopwatch-total', String(page.total));
    if (page.nextCursor) reply.header('x-hopwatch-next-cursor', page.nextCursor);
    if (format === 'jsonl') return reply.type('application/x-ndjson; charset=utf-8').send(page.items.map((m) => `${JSON.stringify(m)}\n`).join(''));
    return reply.type('text/csv; charset=utf-8').send(matchesCsv(page.items));
  });

  api.get('/api/matches/:id', viewer, async (req): Promise<MatchDetailResponse> => {
    const { id } = req.params as { id: string };
    const detail: MatchDetail = await service.matchDetail(id);
    const { bodySha256, referenceBodySha256, ...rest } = detail;
    // a reference page is shown only when its saved body is in the evidence directory (`refs add
    // --evidence-dir`, `refs follow`): a link to a missing file would only show an error frame
    const referenceFile = referenceBodySha256 && deps.evidence ? await deps.evidence.find(referenceBodySha256) : null;
    return {
      ...rest,
      candidateView: bodySha256 && deps.evidence ? deps.viewTokens.url(bodySha256) : null,
      referenceView: referenceFile && referenceFile.ext === 'html' ? deps.viewTokens.url(referenceBodySha256!) : null,
    };
  });

  api.post('/api/matches/:id/decisions', reviewer, async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as { decision?: unknown; reason?: unknown };
    const decision = await service.decide(id, body.decision, body.reason, req.reviewer!.reviewer);
    metrics.decisions.inc({ decision: decision.decision });
    return reply.code(201).send({ decision });
  });

  api.post('/api/decisions/bulk', reviewer, async (req) => {
    const body = (req.body ?? {}) as { ids?: unknown; decision?: unknown; reason?: unknown };
    const decisions = await service.decideBulk(body.ids, body.decision, body.reason, req.reviewer!.reviewer);
    for (const d of decisions) metrics.decisions.inc({ decision: d.decision });
    return { decisions };
  });

  api.get('/api/sites', viewer, async () => service.sites());

  api.get('/api/export', viewer, async (req, reply) => {
    const q = req.query as { site?: string; order?: string; format?: string };
    const format = (q.format ?? 'blocklist') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new HopwatchError('FEED_BAD_QUERY', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!q.site === !q.order) throw new HopwatchError('FEED_BAD_QUERY', 'give exactly one of site= or order=');
    const out = await service.export({ site: q.site, order: q.order }, format);
    metrics.exports.inc({ format });
    return reply
      .type(out.contentType)
      .header('content-disposition', `attachment; filename="${out.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .header('x-hopwatch-excluded', String(out.excluded))
      .send(out.body);
  });

  api.get('/api/evidence/:sha256', viewer, async (req, reply) => {
    const { sha256 } = req.params as { sha256: string };
    if (!isSha256(sha256)) throw new HopwatchError('FEED_BAD_QUERY', 'evidence is named by a lowercase hex SHA-256');
    const file = deps.evidence ? await deps.evidence.find(sha256) : null;
    const bytes = file ? await deps.evidence!.read(sha256) : null;
    if (!file || !bytes) throw new HopwatchError('FEED_EVIDENCE_NOT_FOUND', deps.evidence ? `no evidence file ${sha256}` : 'no evidence directory is configured (HOPWATCH_EVIDENCE_DIR)');
    const type = EVIDENCE_TYPES[file.ext] ?? 'application/octet-stream';
    reply.type(type).header('content-disposition', `${file.ext === 'png' || file.ext === 'manifest.json' ? 'inline' : 'attachment'}; filename="${sha256}.${file.ext}"`);
    return reply.send(Buffer.from(bytes));
  });
}
