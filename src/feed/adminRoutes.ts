/** Admin-only routes: Prometheus metrics and the BullMQ dashboard (bull-board). */
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FeedMetrics } from './feedMetrics.js';
import { requireRole } from './apiRoutes.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export async function adminRoutes(api: FastifyInstance, deps: { metrics: FeedMetrics; queues: Queue[] }): Promise<void> {
  api.get('/metrics', { preHandler: requireRole('admin') }, async (_req, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  await api.register(async (admin) => {
    // every dashboard route (page, assets, its API) needs an admin token
    admin.addHook('preHandler', requireRole('admin'));
    const serverAdapter = new FastifyAdapter();
    createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    await admin.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
