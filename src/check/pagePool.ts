/**
 * A pool of worker threads that fingerprint and match pages, each page under a hard deadline.
 *
 * Fingerprinting is CPU work on attacker-chosen bytes; in the main thread one slow page blocks
 * everything else the process does (fetches time out falsely, BullMQ stops renewing locks, the
 * metrics endpoint stops answering). Here a page that overruns its deadline is answered with a
 * FINGERPRINT_TIMEOUT result at once, its thread is terminated (the only way to stop a running
 * regex or parser) and replaced. A thread that dies (out of memory, a crash) fails its page with
 * FINGERPRINT_FAILED and is replaced too. Each thread builds the reference index once.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageFingerprint, PageInput } from '../fingerprint/types.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { CheckResult } from '../match/types.js';
import type { CheckPageMeta } from './checkPage.js';
import { failedJudgement, type JudgedPage, type PageJudge } from './pageJudge.js';

export interface PagePoolOptions {
  /** threads (pages judged at once) */
  threads: number;
  /** longest a page may take, from the moment a thread takes it */
  deadlineMs: number;
  /**
   * heap of each thread, MiB. A page of the 8 MiB decoded limit parsed by cheerio needs a few
   * hundred MiB at most; past this the thread dies (FINGERPRINT_FAILED), not the process.
   */
  maxThreadHeapMb?: number;
  /**
   * the thread's module (default: pageThread next to this file). Tests give a thread that never
   * finishes a page, so the deadline is tested by what it guarantees, not by how fast a machine is.
   */
  threadModule?: URL;
}

export const PAGE_POOL_DEFAULTS = Object.freeze({ maxThreadHeapMb: 1024 });

/** A thread that dies this many times in a row before it is ready cannot start: stop trying. */
const MAX_START_FAILURES = 3;

export interface PageTask {
  id: number;
  page: PageInput;
  meta: CheckPageMeta;
}

export type PageReply = { id: number; ok: true; judged: { result: CheckResult; fingerprint: PageFingerprint } } | { id: number; ok: false; message: string };

interface Pending {
  task: PageTask;
  resolve: (judged: JudgedPage) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The thread's entry: the compiled .js next to this file, or, when this module runs from its .ts
 * source (tests, benchmarks under tsx or vitest), the .ts source behind tsx's ESM loader. Node 20
 * ignores `--import tsx` in a worker's execArgv, so the loader is registered inside the thread.
 */
function threadEntry(module?: URL): { script: string | URL; eval: boolean } {
  const target = module ?? new URL(import.meta.url.endsWith('.ts') ? './pageThread.ts' : './pageThread.js', import.meta.url);
  if (!target.pathname.endsWith('.ts')) return { script: target, eval: false };
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const source = target.href;
  return { script: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, eval: true };
}

export function createPagePool(index: ReferenceIndex, options: PagePoolOptions): PageJudge {
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new TypeError(`page pool threads must be a whole number >= 1, got ${options.threads}`);
  if (!Number.isFinite(options.deadlineMs) || options.deadlineMs <= 0) throw new TypeError(`page pool deadlineMs must be positive, got ${options.deadlineMs}`);
  const heapMb = options.maxThreadHeapMb ?? PAGE_POOL_DEFAULTS.maxThreadHeapMb;
  const entry = threadEntry(options.threadModule);
  const referenceSet = index.referenceSet;
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  const exits = new Set<Promise<unknown>>();
  let nextId = 1;
  let closed = false;
  let startFailures = 0;
  let broken: string | null = null;

  function spawn(): Slot {
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: { referenceSet },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // a thread's console goes to the process's stderr; its stdin is none
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, ready: false, busy: null, timer: null };
    worker.on('message', (message: PageReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        startFailures = 0;
        pump();
        return;
      }
      const pending = slot.busy;
      if (!pending || pending.task.id !== message.id) return;
      finishTask(slot);
      pending.resolve(message.ok ? message.judged : failedJudgement(pending.task.meta, 'FINGERPRINT_FAILED', `fingerprinting failed: ${message.message.slice(0, 300)}`));
      pump();
    });
    // 'error' is an uncaught exception or ERR_WORKER_OUT_OF_MEMORY in the thread; 'exit' follows
    worker.on('error', (err) => lost(slot, `thread failed: ${err.message.slice(0, 300)}`));
    worker.on('exit', (code) => lost(slot, `thread exited with code ${code}`));
    slots.push(slot);
    return slot;
  }

  function finishTask(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
  }

  /** Take a thread out of the pool (it died, or it is being cut off) and start another. */
  function retire(slot: Slot): void {
    const at = slots.indexOf(slot);
    if (at < 0) return;
    slots.splice(at, 1);
    slot.worker.removeAllListeners('message');
    // keep listening: an 'error' after retirement must not become an unhandled event
    slot.worker.removeAllListeners('error').on('error', () => undefined);
    slot.worker.removeAllListeners('exit');
    const exit = slot.worker.terminate().catch(() => undefined);
    exits.add(exit);
    void exit.then(() => exits.delete(exit));
    if (!closed && !broken) spawn();
  }

  function lost(slot: Slot, why: string): void {
    if (!slots.includes(slot)) return;
    const pending = slot.busy;
    finishTask(slot);
    if (!slot.ready && !pending) {
      startFailures++;
      if (startFailures >= MAX_START_FAILURES) broken = `fingerprint threads cannot start: ${why}`;
    }
    retire(slot);
    if (pending) pending.resolve(failedJudgement(pending.task.meta, 'FINGERPRINT_FAILED', why));
    if (broken) for (const waiting of queue.splice(0)) waiting.resolve(failedJudgement(waiting.task.meta, 'FINGERPRINT_FAILED', broken));
    pump();
  }

  function pump(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.ready || slot.busy) continue;
      const pending = queue.shift()!;
      slot.busy = pending;
      slot.timer = setTimeout(() => {
        if (slot.busy !== pending) return;
        finishTask(slot);
        retire(slot);
        pending.resolve(failedJudgement(pending.task.meta, 'FINGERPRINT_TIMEOUT', `fingerprinting took longer than ${options.deadlineMs} ms; the page was cut off`));
        pump();
      }, options.deadlineMs);
      slot.worker.postMessage(pending.task);
    }
  }

  for (let i = 0; i < options.threads; i++) spawn();

  return {
    judge(page, meta) {
      if (closed) return Promise.resolve(failedJudgement(meta, 'FINGERPRINT_POOL_CLOSED', 'the fingerprint pool is closed'));
      if (broken) return Promise.resolve(failedJudgement(meta, 'FINGERPRINT_FAILED', broken));
      return new Promise<JudgedPage>((resolve) => {
        queue.push({ task: { id: nextId++, page, meta: { input: meta.input, domain: meta.domain ?? null } }, resolve });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiting of queue.splice(0)) waiting.resolve(failedJudgement(waiting.task.meta, 'FINGERPRINT_POOL_CLOSED', 'the fingerprint pool was closed'));
      for (const slot of [...slots]) {
        const pending = slot.busy;
        finishTask(slot);
        retire(slot);
        if (pending) pending.resolve(failedJudgement(pending.task.meta, 'FINGERPRINT_POOL_CLOSED', 'the fingerprint pool was closed'));
      }
      await Promise.all([...exits]);
    },
  };
}

