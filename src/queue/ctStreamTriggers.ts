/**
 * The worker's live CT source: a certstream-compatible websocket (HOPWATCH_CT_STREAM_URL), its
 * names filtered in batches against what discovery knows, and every name that carries a brand or
 * sits on a proxy base sent to the discovery queue as a `ct` trigger.
 */
import { startCertstream, type CertstreamClient, type CertstreamStats } from '../ctstream/certstreamClient.js';
import { createCtBatcher } from '../ctstream/ctBatcher.js';
import type { DiscoveryTrigger, TriggerOutcome } from './discoveryQueue.js';
import { MAX_TRIGGER_HOSTS } from './discoveryQueue.js';
import type { KnowledgeSource } from './knowledgeSource.js';

export interface CtStreamTriggers {
  stats(): CertstreamStats & { dropped: number; triggered: number };
  close(): Promise<void>;
}

export function startCtStreamTriggers(options: {
  url: string;
  batchMs: number;
  knowledge: KnowledgeSource;
  trigger(trigger: DiscoveryTrigger): Promise<TriggerOutcome>;
  log?: (event: Record<string, unknown>) => void;
  pingIntervalMs?: number;
}): CtStreamTriggers {
  const log = options.log ?? (() => undefined);
  let triggered = 0;
  const batcher = createCtBatcher({
    batchMs: options.batchMs,
    knowledge: () => options.knowledge.current(),
    async onCandidates(found) {
      for (let i = 0; i < found.length; i += MAX_TRIGGER_HOSTS) {
        const chunk = found.slice(i, i + MAX_TRIGGER_HOSTS);
        if ((await options.trigger({ kind: 'ct', from: 'ct', hosts: chunk.map((c) => c.domain) })) === 'added') triggered += chunk.length;
      }
    },
    onError: (err) => log({ level: 'warn', msg: 'ct batch failed', error: err instanceof Error ? err.message : String(err) }),
  });
  const client: CertstreamClient = startCertstream({
    url: options.url,
    onNames: (names) => batcher.add(names),
    onState: (event) => log({ level: event.state === 'open' ? 'info' : 'warn', msg: `ct stream ${event.state}`, ...event }),
    ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
  });
  return {
    stats: () => ({ ...client.stats(), dropped: batcher.dropped(), triggered }),
    async close() {
      await client.close();
      await batcher.close();
    },
  };
}
