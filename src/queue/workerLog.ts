/**
 * The worker's log: JSON lines (pino) on stderr, level from HOPWATCH_LOG_LEVEL. One line per
 * check outcome at info (domain, verdict, site, ms, job id), one per feed entry, liveness changes
 * and connection trouble; retries and politeness delays at debug (they are many and routine).
 */
import { pino, type Logger } from 'pino';
import type { CheckOutcome } from './checkProcessor.js';
import type { LogEvent } from './connectionErrorLog.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createWorkerLogger(level: LogLevel, destination: NodeJS.WritableStream): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination as unknown as pino.DestinationStream);
}

/** The `log(event)` shape the worker's parts use, onto a pino logger. */
export function logEvents(logger: Logger): LogEvent {
  return (event) => {
    const { level, msg, ...fields } = event as { level?: string; msg?: string } & Record<string, unknown>;
    const method = level === 'warn' || level === 'error' || level === 'debug' || level === 'fatal' || level === 'trace' ? level : 'info';
    logger[method](fields, msg ?? '');
  };
}

/** One line per check outcome, and one per new feed entry. */
export function logOutcome(log: LogEvent, outcome: CheckOutcome): void {
  const routine = outcome.kind === 'retry' || outcome.kind === 'politeness-delay' || outcome.kind === 'shutdown-delay';
  log({
    level: routine ? 'debug' : 'info',
    msg: 'check',
    outcome: outcome.kind,
    domain: outcome.domain,
    verdict: outcome.verdict,
    site: outcome.site,
    ms: outcome.durationMs,
    jobId: outcome.jobId,
    ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
  });
  if (outcome.feedId) log({ level: 'info', msg: 'feed entry', feedId: outcome.feedId, domain: outcome.domain, verdict: outcome.verdict, site: outcome.site, jobId: outcome.jobId });
}
