import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { commandSettings } from '../../config/commandSettings.js';
import { maskRedisUrl } from '../../config/settings.js';
import { captureScreenshot, closeScreenshotBrowser } from '../../evidence/screenshot.js';
import { startCheckWorker } from '../../queue/checkWorker.js';
import { createWorkerLogger, logEvents } from '../../queue/workerLog.js';
import { parseCommandArgs, parseNonNegativeInt, parsePositiveInt, splitList, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { readHistories } from './candidates.js';
import { REDIS_HISTORY } from '../knownHistories.js';

const usage = `Usage: hopwatch worker [--concurrency N] [--metrics-port N] [--refs PATH]
                      [--known FILE]... [--no-discovery] [live options]

Run a check worker: take check jobs from the queue in Redis (REDIS_URL), check each
domain like \`hopwatch check\`, record results, matches and liveness in Redis, and
re-check confirmed mirrors and known domains on a schedule. Run as many workers on
as many machines as needed against the same Redis. Logs are JSON lines on stderr
(pino; HOPWATCH_LOG_LEVEL, default info: one line per check outcome with domain,
verdict, site, ms and job id, one per feed entry). With HOPWATCH_EVIDENCE_DIR set,
every new match gets an evidence package, with a screenshot of the saved page when
/usr/bin/chromium is installed (JavaScript off, nothing fetched).
SIGINT / SIGTERM stop it gracefully (running checks get HOPWATCH_SHUTDOWN_TIMEOUT_MS).
Refuses a Redis whose maxmemory-policy is not noeviction. See \`hopwatch config\`.

Options:
  -c, --concurrency N checks at once (default HOPWATCH_WORKER_CONCURRENCY, 8)
  --metrics-port N    serve Prometheus metrics on /metrics (default HOPWATCH_METRICS_PORT, off)
  --refs PATH         a reference-set file (default: the bundled seeds/)
  --config FILE       settings file (same names as the environment; the environment wins)
  --known FILE        a domain history discovery learns from (repeat; adds to HOPWATCH_DISCOVERY_KNOWN)
  --ct-stream URL     read CT names from a certstream-compatible websocket (HOPWATCH_CT_STREAM_URL)
  --no-discovery      run checks only: no discovery worker, schedule or triggers (HOPWATCH_DISCOVERY=off)

Discovery (on by default) generates candidates from the known histories every
HOPWATCH_DISCOVERY_INTERVAL_MS at HOPWATCH_DISCOVERY_BUDGET, and from what checks see
(a new match, redirects, certificate SANs, links carrying a brand), DNS-pre-checks them
and enqueues the live ones with their source and reason.
  -h, --help          show this help
${DOMAIN_CHECK_FLAGS_HELP}`;

const options = {
  concurrency: { type: 'string', short: 'c' },
  'metrics-port': { type: 'string' },
  config: { type: 'string' },
  refs: { type: 'string' },
  known: { type: 'string', multiple: true },
  'no-discovery': { type: 'boolean' },
  'ct-stream': { type: 'string' },
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
        discoveryEnabled: values['no-discovery'] ? 'off' : undefined,
        ctStreamUrl: values['ct-stream'],
      },
      warn: (line) => writeLine(io.stderr, `hopwatch worker: ${line}`),
    });
    const knownPaths = [...splitList([settings.discoveryKnownPaths]), ...splitList(values.known)];
    // redis: needs no reading here: the worker always learns from the Redis history too
    const fileHistory = settings.discoveryEnabled === 'on' ? await readHistories(knownPaths.filter((p) => p !== REDIS_HISTORY)) : [];
    const domainCheck = await parseDomainCheckFlags(values);
    const index = await loadReferenceIndex(values.refs);
    // JSON lines on stderr (pino), level HOPWATCH_LOG_LEVEL
    const log = logEvents(createWorkerLogger(settings.logLevel, io.stderr));

    // screenshots only for evidence packages; captureScreenshot returns null without a browser
    const worker = await startCheckWorker({ settings, domainCheck, index, log, discovery: { fileHistory }, ...(settings.evidenceDir ? { screenshot: captureScreenshot } : {}) });
    log({
      level: 'info', msg: 'worker started', redis: maskRedisUrl(settings.redisUrl), prefix: settings.keyPrefix,
      concurrency: settings.workerConcurrency, metricsPort: worker.metricsPort, recheck: worker.schedule,
      discovery: worker.discovery ? { schedule: worker.discovery.schedule, historyLines: fileHistory.length } : 'off',
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
    await closeScreenshotBrowser();
    log({ level: 'info', msg: 'worker stopped' });
    return ExitCode.ok;
  },
};
