/**
 * The body of one fingerprint thread (started by pagePool.ts): the reference index is built once
 * from the set passed in workerData, then every page posted is fingerprinted and matched.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ReferenceIndex } from '../match/referenceIndex.js';
import type { ReferenceSet } from '../match/referenceSet.js';
import { checkPage } from './checkPage.js';
import type { PageTask, PageReply } from './pagePool.js';

const port = parentPort;
if (!port) throw new Error('pageThread.ts runs only as a worker thread');
const index = ReferenceIndex.build((workerData as { referenceSet: ReferenceSet }).referenceSet);

port.on('message', (task: PageTask) => {
  let reply: PageReply;
  try {
    reply = { id: task.id, ok: true, judged: checkPage(task.page, index, task.meta) };
  } catch (err) {
    // a bug in fingerprinting on one page is that page's result, not the thread's end
    reply = { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
