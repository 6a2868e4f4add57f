import { commandSettings } from '../../config/commandSettings.js';
import { createCheckQueue, enqueueDomains } from '../../queue/checkQueue.js';
import { CheckStore, STORE_LIMIT_DEFAULTS } from '../../store/checkStore.js';
import { checkRedisServer, closeRedis, connectRedis } from '../../store/redisConnection.js';
import { redisKeys } from '../../store/redisKeys.js';
import { INPUT_FLAGS, parseCommandArgs, usageError } from '../args.js';
import { commandInputs } from '../inputs.js';
import { exitCodeFor, interruptSignal, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch enqueue DOMAIN...|- [-l FILE]... [--json]

Queue candidate domains for the workers (REDIS_URL). Domains are normalised (lower
case, punycode, no trailing dot, host of a URL) by the same parser as check; a domain
already queued or checked within HOPWATCH_DEDUPE_WINDOW_MS is not queued again.
Domains come from the arguments, stdin (-) and list files (-l FILE, or --file FILE):
one per line (first field; blank lines and # comments skipped).

Options:
  -l, --list FILE  read domains from FILE (repeatable; - = stdin); --file is the old name
  -j, --json       print the outcome as one JSON object
  --silent         print nothing but errors
  --config FILE    settings file (same names as the environment; the environment wins)
  -h, --help       show this help

Exit codes: 0 queued, 3 some lines were not domains (the rest were queued) or Redis
is unavailable (STORE_REDIS_UNAVAILABLE), 2 bad arguments, 70 internal error.`;

/** Collect an async source into batches so enqueueDomains sees a plain iterable per batch. */
async function* batches(source: AsyncIterable<string>, size: number): AsyncGenerator<string[]> {
  let batch: string[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export const enqueueCommand: Command = {
  name: 'enqueue',
  summary: 'queue candidate domains for the workers (deduplicated)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { file: { type: 'string', multiple: true }, ...INPUT_FLAGS, json: { type: 'boolean', short: 'j' }, silent: { type: 'boolean' }, config: { type: 'string' } });
    const lists = [...(values.list ?? []), ...(values.file ?? [])];
    if (lists.length === 0 && positionals.length === 0) throw usageError('give at least one DOMAIN, - (stdin) or -l FILE');
    const settings = await commandSettings(io.env, { configFile: values.config, warn: (line) => writeLine(io.stderr, `hopwatch enqueue: ${line}`) });
    const keys = redisKeys(settings.keyPrefix);
    const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      const server = await checkRedisServer(redis, settings.redisUrl);
      for (const warning of server.warnings) writeLine(io.stderr, `hopwatch enqueue: warning: ${warning}`);
      const queue = createCheckQueue(redis, keys, settings);
      const store = new CheckStore(redis, keys, STORE_LIMIT_DEFAULTS);
      const total = { submitted: 0, distinct: 0, created: 0, invalid: [] as string[], interrupted: false };
      // Ctrl-C stops between batches: a batch is enqueued whole or not at all, and what was queued is said
      const interrupt = interruptSignal(io);
      try {
        const source = (async function* () {
          for await (const item of commandInputs({ positionals, lists, io, command: 'hopwatch enqueue', silent: values.silent })) yield item.target;
        })();
        for await (const batch of batches(source, 50_000)) {
          if (interrupt.signal.aborted) break;
          const outcome = await enqueueDomains(queue, store, settings, batch, 'manual');
          total.submitted += outcome.submitted;
          total.distinct += outcome.distinct;
          total.created += outcome.created;
          if (total.invalid.length < 100) total.invalid.push(...outcome.invalid.slice(0, 100 - total.invalid.length));
        }
      } finally {
        interrupt.dispose();
        await queue.close();
      }
      total.interrupted = interrupt.signal.aborted;
      if (values.json) writeLine(io.stdout, JSON.stringify(total));
      else if (values.silent) for (const bad of total.invalid) writeLine(io.stderr, `hopwatch enqueue: not a domain: ${bad}`);
      else {
        writeLine(io.stdout, `${total.interrupted ? 'interrupted; ' : ''}queued ${total.created} new check jobs for ${total.distinct} distinct domains (${total.submitted} given; the rest were duplicates or within the dedupe window)`);
        for (const bad of total.invalid) writeLine(io.stderr, `hopwatch enqueue: not a domain: ${bad}`);
      }
      return exitCodeFor({ matched: false, failed: total.invalid.length > 0, interrupted: total.interrupted });
    } finally {
      await closeRedis(redis);
    }
  },
};
