/**
 * TEMPORARY: a stand-in for the review service (the contract's routes over data in memory), to
 * develop the page before buildServer exists. The browser tests run against the real server.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { reviewPagePlugin } from '../../src/feed/reviewPage.js';

interface StubMatch { id: string; domain: string; site: string; verdict: string; relation: string; score: number; pageKind: string; title: string; recordedAt: string; source: string; state: string; manifest: string | null; identifiers: string[]; html: string }

export interface StubSpec { domain: string; site: string; identifiers: string[]; title: string; html: string }

export async function startContractStub(opts: { matches: number; specs?: StubSpec[]; hostileHtml?: string; screenshotPng?: Uint8Array | null }): Promise<{ app: FastifyInstance; url: string; tokens: Record<string, string> }> {
  const app = Fastify();
  await app.register(reviewPagePlugin);
  const tokens = { alice: 'tok-alice-reviewer', victor: 'tok-victor-viewer' };
  const who: Record<string, { reviewer: string; role: string }> = { [tokens.alice]: { reviewer: 'alice', role: 'reviewer' }, [tokens.victor]: { reviewer: 'victor', role: 'viewer' } };
  const files = new Map<string, { body: Uint8Array; type: string }>();
  const put = (body: Uint8Array, type: string): string => { const sha = createHash('sha256').update(body).digest('hex'); files.set(sha, { body, type }); return sha; };
  const shot = opts.screenshotPng ? put(opts.screenshotPng, 'image/png') : null;
  const matches: StubMatch[] = [];
  for (let i = 0; i < opts.matches; i++) {
    const domain = i % 3 === 0 ? `harbor${i}.unblockit.test` : `mirror-${i}.test`;
    const html = i === 0 && opts.hostileHtml ? opts.hostileHtml : `<html><head><title>Harbor Torrents ${i}</title></head><body><h1>Harbor Torrents</h1><p>UA-1234567-1</p></body></html>`;
    matches.push({ id: `${1700000000000 + i}-0`, domain, site: i % 5 === 4 ? 'other' : 'harbor', verdict: i % 4 === 0 ? 'likely' : 'mirror', relation: 'mirror', score: 0.5 + (i % 50) / 100, pageKind: 'ok', title: i === 0 && opts.hostileHtml ? 'Harbor <script>alert(1)</script><img src=x onerror=alert(2)>' : `Harbor Torrents ${i}`, recordedAt: new Date(Date.UTC(2026, 10, 1 + (i % 28), 10, i % 60)).toISOString(), source: 'redirect', state: 'unreviewed', manifest: null, identifiers: i % 3 === 0 ? ['UA-1234567', 'ca-pub-998877'] : ['UA-1234567'], html });
    matches.at(-1)!.manifest = put(new TextEncoder().encode(JSON.stringify({ schema: 'hopwatch.evidence/1', domain })), 'application/json');
  }
  for (const [i, spec] of (opts.specs ?? []).entries()) {
    matches.push({ id: `${1800000000000 + i}-0`, domain: spec.domain, site: spec.site, verdict: 'mirror', relation: 'mirror', score: 0.9, pageKind: 'ok', title: spec.title, recordedAt: new Date(Date.UTC(2026, 10, 1, 10, i)).toISOString(), source: 'manual', state: 'unreviewed', manifest: null, identifiers: spec.identifiers, html: spec.html });
  }
  const decisions: Array<Record<string, unknown>> = [];
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const t = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!t || !who[t]) return reply.code(401).send({ code: 'REVIEW_UNAUTHORISED', message: 'a valid token is required' });
    (req as unknown as { me: unknown }).me = who[t];
  });
  const summary = ({ html: _h, ...m }: StubMatch) => m;
  app.get('/api/me', async (req) => (req as unknown as { me: unknown }).me);
  app.get<{ Querystring: Record<string, string> }>('/api/matches', async (req) => {
    const q = req.query;
    let list = matches.filter((m) => (!q.state || m.state === q.state) && (!q.site || m.site === q.site) && (!q.verdict || m.verdict === q.verdict) && (!q.q || new RegExp(`^${q.q.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(m.domain) || (q.q && !q.q.includes('*') && m.domain.includes(q.q))));
    const counts = { bySite: {} as Record<string, number>, byVerdict: {} as Record<string, number>, byState: {} as Record<string, number> };
    for (const m of list) { counts.bySite[m.site] = (counts.bySite[m.site] ?? 0) + 1; counts.byVerdict[m.verdict] = (counts.byVerdict[m.verdict] ?? 0) + 1; counts.byState[m.state] = (counts.byState[m.state] ?? 0) + 1; }
    if (q.sort === '-recorded') list = [...list].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
    if (q.sort === 'domain') list = [...list].sort((a, b) => a.domain.localeCompare(b.domain));
    if (q.sort === '-score') list = [...list].sort((a, b) => b.score - a.score);
    const start = Number(q.cursor || 0); const limit = Number(q.limit || 50);
    return { items: list.slice(start, start + limit).map(summary), nextCursor: start + limit < list.length ? String(start + limit) : null, total: list.length, counts };
  });
  app.get<{ Params: { id: string } }>('/api/matches/:id', async (req, reply) => {
    const m = matches.find((x) => x.id === req.params.id);
    if (!m) return reply.code(404).send({ message: 'no such match' });
    return { ...summary(m), evidence: [{ feature: 'page-similarity', matched: 'simhash distance 9/192 (structure 2, text 3, resources 4 of 64 bits)', weight: 0.8, reference: 'harbor/0' }, { feature: 'ga-property', matched: 'UA-1234567 (Google Analytics property)', weight: 0.6, reference: 'harbor/0' }],
      fetch: { requestedUrl: `https://${m.domain}/`, finalUrl: `https://${m.domain}/`, status: 200, resolvedAddresses: ['127.0.0.1'], connectedAddress: '127.0.0.1:443', tls: { authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', subject: `CN=${m.domain}`, subjectAltNames: [m.domain, 'mirror-three.test'], issuer: 'CN=hopwatch test CA', validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', fingerprint256: 'AA:BB' }, redirects: [{ url: `http://${m.domain}/`, status: 301, kind: 'http', location: `https://${m.domain}/`, connectedAddress: '127.0.0.1:80' }] },
      manifestJson: { schema: 'hopwatch.evidence/1', warc: { sha256: 'ab'.repeat(32), bytes: 12345 }, body: { sha256: 'cd'.repeat(32) } }, decisions: decisions.filter((d) => d.matchId === m.id),
      guard: { excluded: m.domain.includes('unblockit') ? [{ value: 'unblockit.test', reason: 'a proxy service hosting many sites: block the host, not the registrable domain' }] : [] },
      history: { firstSeenAt: m.recordedAt, lastCheckedAt: m.recordedAt, checks: 3, liveness: 'alive', redirects: [`http://old-${m.domain}/`] },
      reference: { siteId: 'harbor', pageId: 'harbor/0', provenance: { source: 'test world' }, title: 'Harbor Torrents', identifiers: ['UA-1234567', 'ca-pub-998877', 'G-ABCDEF'] },
      candidateView: `/view/${m.id}`, referenceView: `/view/ref`, screenshot: shot };
  });
  app.get<{ Params: { id: string } }>('/view/:id', async (req, reply) => {
    const m = matches.find((x) => x.id === req.params.id);
    reply.header('content-security-policy', "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'").header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8');
    return m?.html ?? '<html><body style="font-family:sans-serif"><h1>Harbor Torrents</h1><p>the original</p></body></html>';
  });
  app.get<{ Params: { sha: string } }>('/api/evidence/:sha', async (req, reply) => {
    const f = files.get(req.params.sha);
    if (!f) return reply.code(404).send({ message: 'no such file' });
    return reply.type(f.type).send(Buffer.from(f.body));
  });
  let seq = 0;
  const record = (m: StubMatch, decision: string, reason: string, reviewer: string) => {
    m.state = decision === 'confirm' ? 'confirmed' : decision === 'reject' ? 'rejected' : 'needs-more';
    const d = { seq: ++seq, matchId: m.id, domain: m.domain, site: m.site, decision, reason, reviewer, at: new Date().toISOString(), prevHash: '0', hash: createHash('sha256').update(String(seq)).digest('hex') };
    decisions.push(d); return d;
  };
  app.post<{ Params: { id: string }; Body: { decision: string; reason: string } }>('/api/matches/:id/decisions', async (req, reply) => {
    const me = (req as unknown as { me: { reviewer: string; role: string } }).me;
    if (me.role === 'viewer') return reply.code(403).send({ message: 'viewer cannot decide' });
    const m = matches.find((x) => x.id === req.params.id)!;
    return reply.code(201).send({ decision: record(m, req.body.decision, req.body.reason, me.reviewer) });
  });
  app.post<{ Body: { ids: string[]; decision: string; reason: string } }>('/api/decisions/bulk', async (req, reply) => {
    const me = (req as unknown as { me: { reviewer: string; role: string } }).me;
    if (me.role === 'viewer') return reply.code(403).send({ message: 'viewer cannot decide' });
    return { decisions: req.body.ids.map((id) => record(matches.find((x) => x.id === id)!, req.body.decision, req.body.reason, me.reviewer)) };
  });
  app.get('/api/sites', async () => [
    { id: 'harbor', name: 'Harbor Torrents', order: { reference: 'RG 12345/2022', court: 'Tribunale di Milano', date: '2022-07-11' }, knownDomains: [{ domain: 'orig.test', since: '2024-01-01' }], confirmedDomains: matches.filter((m) => m.site === 'harbor' && m.state === 'confirmed').map((m) => ({ domain: m.domain, confirmedAt: new Date().toISOString() })), counts: { unreviewed: matches.filter((m) => m.site === 'harbor' && m.state === 'unreviewed').length, confirmed: 0, rejected: 0 } },
    { id: 'other', name: 'Other Site', order: null, knownDomains: [], confirmedDomains: [], counts: { unreviewed: 3, confirmed: 0, rejected: 0 } },
  ]);
  app.get<{ Querystring: Record<string, string> }>('/api/export', async (req, reply) => {
    const lines = matches.filter((m) => m.site === req.query.site && m.state === 'confirmed').map((m) => m.domain);
    return reply.header('content-disposition', `attachment; filename="${req.query.site}-blocklist.txt"`).header('x-hopwatch-excluded', '0').type('text/plain').send(`${lines.join('\n')}\n`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, tokens };
}
