import { fleetSettings } from '../../config/commandSettings.js';
import { HopwatchError } from '../../errors.js';
import { buildServer } from '../../feed/server.js';
import { ReviewTokens } from '../../feed/reviewTokens.js';
import { createCheckQueue } from '../../queue/checkQueue.js';
import { openReview } from '../../review/openReview.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch serve [--port N] [--host ADDR] [--refs FILE] [--evidence DIR]

Run the review server: the match feed, decisions, exports and the review page, over the
fleet's Redis (REDIS_URL, HOPWATCH_KEY_PREFIX). Binds 127.0.0.1 unless told otherwise.
Every route but /healthz, the page shell and its assets needs Authorization: Bearer <token>
with a token from HOPWATCH_REVIEW_TOKENS (name:role:token,...; roles viewer, reviewer, admin).
Prints the URL it listens on to stdout; logs (pino JSON, never a token) go to stderr.
SIGINT / SIGTERM stop it.

Options:
  --port N        port (HOPWATCH_REVIEW_PORT, default 8080; 0 = any free port)
  --host ADDR     address to bind (HOPWATCH_REVIEW_HOST, default 127.0.0.1)
  --refs FILE     reference set with the sites and legal orders (default: the bundled seeds)
  --evidence DIR  evidence directory (HOPWATCH_EVIDENCE_DIR) served by hash and shown in /view
  -h, --help      show this help

Exit codes: 0 stopped by a signal, 2 bad arguments or settings, 3 cannot start (no tokens,
Redis unreachable or unsafe, port taken).`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the review server (feed, decisions, exports, review page)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' }, refs: { type: 'string' }, evidence: { type: 'string' } });
    if (positionals.length > 0) throw usageError('serve takes no arguments');
    const settings = fleetSettings(io.env, { reviewPort: values.port, reviewHost: values.host, evidenceDir: values.evidence });
    const tokens = ReviewTokens.parse(settings.reviewTokens);
    if (tokens.size === 0) throw new HopwatchError('FEED_NO_TOKENS', 'HOPWATCH_REVIEW_TOKENS is empty: every route would refuse every request; set name:role:token entries');
    const opened = await openReview(settings, { refsPath: values.refs, maxRetriesPerRequest: null });
    for (const w of opened.warnings) writeLine(io.stderr, `hopwatch serve: warning: ${w}`);
    const queue = createCheckQueue(opened.redis, opened.keys, settings);
    let app;
    try {
      app = await buildServer({
        service: opened.service,
        tokens,
        evidence: opened.evidence,
        queues: [queue],
        rateLimit: { max: settings.reviewRateLimitMax, timeWindowMs: settings.reviewRateLimitWindowMs },
        viewTokenTtlMs: settings.reviewViewTokenTtlMs,
        logger: { level: io.env.HOPWATCH_LOG_LEVEL ?? 'info', stream: io.stderr },
      });
      await app.listen({ host: settings.reviewHost, port: settings.reviewPort });
    } catch (err) {
      await app?.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      await opened.close();
      if (err instanceof HopwatchError) throw err;
      throw new HopwatchError('FEED_LISTEN', `cannot listen on ${settings.reviewHost}:${settings.reviewPort}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.reviewPort;
    const host = settings.reviewHost.includes(':') ? `[${settings.reviewHost}]` : settings.reviewHost;
    writeLine(io.stdout, `http://${host}:${port}/`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    await queue.close();
    await opened.close();
    return ExitCode.ok;
  },
};
