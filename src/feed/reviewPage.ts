/**
 * The review page: `/` and `/assets/*`. Placeholder until the review-page branch replaces this
 * file; it holds no data and needs no token, every data call the page makes sends the bearer header.
 */
import type { FastifyPluginAsync } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hopwatch review</title></head>
<body><h1>hopwatch review</h1>
<p>The review page is not built into this server yet. The API answers under <code>/api/</code> with
<code>Authorization: Bearer &lt;token&gt;</code>; see docs/review-api.md.</p></body></html>
`;

export const reviewPagePlugin: FastifyPluginAsync = async (app) => {
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER));
  app.get('/assets/*', async (_req, reply) => reply.code(404).send({ error: 'FEED_NOT_FOUND', message: 'no assets in the placeholder page' }));
};
