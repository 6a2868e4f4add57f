/** What a fingerprint thread answers for one page (pageThread.ts, and the tests' stalling thread). */
import type { ReferenceIndex } from '../match/referenceIndex.js';
import { checkPage } from './checkPage.js';
import type { PageReply, PageTask } from './pagePool.js';

export function answerTask(task: PageTask, index: ReferenceIndex): PageReply {
  try {
    return { id: task.id, ok: true, judged: checkPage(task.page, index, task.meta) };
  } catch (err) {
    // a bug in fingerprinting on one page is that page's result, not the thread's end
    return { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
