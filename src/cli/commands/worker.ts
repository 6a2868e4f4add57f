import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { commandSettings } from '../../config/commandSettings.js';
import { maskRedisUrl } from '../../config/settings.js';
import { startCheckWorker } from '../../queue/checkWorker.js';
import { createWorkerLogger, logEvents } from '../../queue/workerLog.js';
import { parseCommandArgs, parseNonNegativeInt, parsePositiveInt, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch worker [--concurrency N] [--metrics-port N] [--refs PATH] [live options]

Run a check worker: take check jobs from the queue in Redis (REDIS_URL), check each
domain like \`hopwatch check\`, record results, matches and liveness in Redis, and
re-check confirmed mirrors and known domains on a schedule. Run as many workers on
as many machines as needed against the same Redis. Logs are JSON lines on stderr
(pino; HOPWATCH_LOG_LEVEL, default info: one line per check outcome with domain,
verdict, site, ms and job id, one per feed entry).
SIGINT / SIGTERM stop it gracefully (running checks get HOPWATCH_SHUTDOWN_TIMEOUT_MS).
Refuses a Redis whose maxmemory-policy is not noeviction. See \`hopwatch config\`.

Options:
  -c, --concurrency N checks at once (default HOPWATCH_WORKER_CONCURRENCY, 8)
  --metrics-port N    serve Prometheus metrics on /metrics (default HOPWATCH_METRICS_PORT, off)
  --refs PATH         a reference-set file (default: the bundled seeds/)
  --config FILE       settings file (same names as the environment; the environment wins)
  -h, --help          show this help
${DOMAIN_CHECK_FLAGS_HELP}`;

const options = {
  concurrency: { type: 'string', short: 'c' },
  'metrics-port': { type: 'string' },
  config: { type: 'string' },
  refs: { type: 'string' },
  ...DOMAIN_CHECK_FLAGS,
} as const;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a queue worker on Redis (checks, re-checks, metrics)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options);
    if (positionals.length > 0) throw usageError('worker takes no positional arguments');
    const settings = await commandSettings(io.env, {
      configFile: values.config,
      overrides: {
        workerConcurrency: values.concurrency === undefined ? undefined : parsePositiveInt(values.concurrency, '--concurrency', 8, 256),
        metricsPort: values['metrics-port'] === undefined ? undefined : parseNonNegativeInt(values['metrics-port'], '--metrics-port', 0, 65_535),
      },
      warn: (line) => writeLine(io.stderr, `hopwatch worker: ${line}`),
    });
    const domainCheck = await parseDomainCheckFlags(values);
    const index = await loadReferenceIndex(values.refs);
    // JSON lines on stderr (pino), level HOPWATCH_LOG_LEVEL
    const log = logEvents(createWorkerLogger(settings.logLevel, io.stderr));

    const worker = await startCheckWorker({ settings, domainCheck, index, log });
    log({
      level: 'info', msg: 'worker started', redis: maskRedisUrl(settings.redisUrl), prefix: settings.keyPrefix,
      concurrency: settings.workerConcurrency, metricsPort: worker.metricsPort, recheck: worker.schedule,
    });

    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        log({ level: 'info', msg: `${signal}: stopping` });
        resolve();
      };
      const onInt = (): void => stop('SIGINT');
      const onTerm = (): void => stop('SIGTERM');
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      worker.worker.once('closed', () => resolve());
    });
    await worker.close();
    log({ level: 'info', msg: 'worker stopped' });
    return ExitCode.ok;
  },
};
