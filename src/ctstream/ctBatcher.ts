/**
 * Names from a CT stream, filtered in batches: a live log sends hundreds of certificates a
 * second, and the brand filter is built per call, so names are gathered for `batchMs` (or until
 * `maxPending`) and filtered together. What is pending is bounded: past `maxPending` distinct
 * names, new ones are counted as dropped until the next flush, never held.
 */
import { ctCandidates } from '../discovery/ctNames.js';
import type { DiscoveryKnowledge } from '../discovery/knowledge.js';
import type { Candidate } from '../discovery/types.js';

export interface CtBatcherOptions {
  batchMs: number;
  /** distinct names held before a flush is forced; beyond twice this they are dropped */
  maxPending?: number;
  knowledge: () => Promise<DiscoveryKnowledge | null>;
  /** the names of a batch that carry a brand or sit on a proxy base */
  onCandidates(candidates: Candidate[]): Promise<void>;
  onError?(err: unknown): void;
}

export interface CtBatcher {
  add(names: readonly string[]): void;
  /** filter what is pending now */
  flush(): Promise<void>;
  dropped(): number;
  close(): Promise<void>;
}

export function createCtBatcher(options: CtBatcherOptions): CtBatcher {
  const maxPending = options.maxPending ?? 20_000;
  let pending = new Set<string>();
  let dropped = 0;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = (): Promise<void> => {
    if (pending.size === 0) return running;
    const batch = [...pending];
    pending = new Set();
    running = running.then(async () => {
      try {
        const knowledge = await options.knowledge();
        if (!knowledge) return;
        const found = ctCandidates(batch, knowledge);
        if (found.length > 0) await options.onCandidates(found);
      } catch (err) {
        options.onError?.(err);
      }
    });
    return running;
  };
  const timer = setInterval(() => void flush(), options.batchMs);
  timer.unref();

  return {
    add(names) {
      if (closed) return;
      for (const name of names) {
        if (pending.size >= 2 * maxPending) {
          dropped++;
          continue;
        }
        pending.add(name);
      }
      if (pending.size >= maxPending) void flush();
    },
    flush,
    dropped: () => dropped,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
  };
}
