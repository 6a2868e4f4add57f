/**
 * One log line per connection error instead of a stack trace per reconnect attempt. BullMQ's
 * Queue, Worker and QueueEvents re-emit their Redis client's errors as 'error' events; an emitter
 * with no 'error' listener makes BullMQ fall back to `console.error(err)`, which is what printed
 * ECONNREFUSED stack traces on every Redis blip. A blip retries every ~50..2000 ms, so the same
 * message is logged at most once per `everyMs`, with the count of repeats it stood for.
 */
export type LogEvent = (event: Record<string, unknown>) => void;

/** distinct messages remembered; bounds the map if errors carry varying text */
const MAX_KEYS = 100;

export function connectionErrorLog(log: LogEvent, source: string, everyMs = 10_000, clock: () => number = Date.now): (err: Error) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (err) => {
    const message = String(err?.message ?? err).slice(0, 500);
    const now = clock();
    const seen = last.get(message);
    if (seen && now - seen.at < everyMs) {
      seen.suppressed++;
      return;
    }
    if (!seen && last.size >= MAX_KEYS) last.clear();
    last.set(message, { at: now, suppressed: 0 });
    log({ level: 'warn', msg: `${source} error`, error: message, ...(seen && seen.suppressed > 0 ? { repeated: seen.suppressed } : {}) });
  };
}
