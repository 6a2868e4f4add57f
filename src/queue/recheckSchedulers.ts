/**
 * Re-checks on a schedule: BullMQ job schedulers (one per kind, upserted by every worker at start,
 * so the fleet holds exactly one of each however many workers run) produce `recheck` jobs that
 * fan out into ordinary, deduplicated check jobs. A re-check records liveness: a mirror that went
 * NXDOMAIN or parked is marked dead, one that answers again is marked alive (see checkStore).
 */
import type { Settings } from '../config/settings.js';
import { JOB, type CheckQueue, type RecheckJobData } from './checkQueue.js';

export const RECHECK_SCHEDULERS: ReadonlyArray<{ id: string; data: RecheckJobData }> = [
  { id: 'recheck-mirrors', data: { kind: 'mirrors' } },
  { id: 'recheck-known-domains', data: { kind: 'known-domains' } },
];

export type RecheckSchedule = { pattern: string } | { every: number } | null;

export function recheckSchedule(settings: Settings): RecheckSchedule {
  if (settings.recheckCron.trim() !== '') return { pattern: settings.recheckCron.trim() };
  if (settings.recheckIntervalMs > 0) return { every: settings.recheckIntervalMs };
  return null;
}

/** Create or update the schedulers to match the settings; remove them when re-checks are off. */
export async function upsertRecheckSchedulers(queue: CheckQueue, settings: Settings): Promise<RecheckSchedule> {
  const schedule = recheckSchedule(settings);
  for (const { id, data } of RECHECK_SCHEDULERS) {
    if (!schedule) {
      await queue.removeJobScheduler(id);
      continue;
    }
    await queue.upsertJobScheduler(id, schedule, {
      name: JOB.recheck,
      data,
      opts: { attempts: 3, backoff: { type: 'exponential', delay: settings.backoffDelayMs }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
  }
  return schedule;
}
