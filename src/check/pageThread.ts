/**
 * The body of one fingerprint thread (started by pagePool.ts): the reference index is built once
 * from the set passed in workerData, then every page posted is fingerprinted and matched.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ReferenceIndex } from '../match/referenceIndex.js';
import type { ReferenceSet } from '../match/referenceSet.js';
import type { PageTask } from './pagePool.js';
import { answerTask } from './pageTask.js';

const port = parentPort;
if (!port) throw new Error('pageThread.ts runs only as a worker thread');
const index = ReferenceIndex.build((workerData as { referenceSet: ReferenceSet }).referenceSet);

port.on('message', (task: PageTask) => port.postMessage(answerTask(task, index)));
port.postMessage({ ready: true });
