/**
 * A fingerprint thread for tests: a page carrying STALL_MARKER is never finished (the thread
 * spins, as a super-linear regex or parser would), every other page is judged as pageThread.ts
 * judges it. So a deadline test needs no page that is "slow enough" on some machine.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PageTask } from '../../src/check/pagePool.js';
import { answerTask } from '../../src/check/pageTask.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import type { ReferenceSet } from '../../src/match/referenceSet.js';
import { STALL_MARKER } from './stallMarker.js';

const port = parentPort!;
const index = ReferenceIndex.build((workerData as { referenceSet: ReferenceSet }).referenceSet);
const marker = Buffer.from(STALL_MARKER);

port.on('message', (task: PageTask) => {
  const body = typeof task.page.body === 'string' ? Buffer.from(task.page.body) : Buffer.from(task.page.body);
  if (body.includes(marker)) for (;;) { /* never returns: only terminating the thread stops it */ }
  port.postMessage(answerTask(task, index));
});
port.postMessage({ ready: true });
