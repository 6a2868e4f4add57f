import { createReadStream } from 'node:fs';
import { readTargets } from '../../check/scanDomains.js';
import { fleetSettings } from '../../config/commandSettings.js';
import { HopwatchError } from '../../errors.js';
import { createCheckQueue, enqueueDomains } from '../../queue/checkQueue.js';
import { CheckStore, STORE_LIMIT_DEFAULTS } from '../../store/checkStore.js';
import { checkRedisServer, closeRedis, connectRedis } from '../../store/redisConnection.js';
import { redisKeys } from '../../store/redisKeys.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch enqueue DOMAIN... | --file FILE|-  [--json]

Queue candidate domains for the workers (REDIS_URL). Domains are normalised (lower
case, punycode, host of a URL); a domain already queued or checked within
HOPWATCH_DEDUPE_WINDOW_MS is not queued again. FILE holds one domain per line (first
field; blank lines and # comments skipped); - reads stdin.

Options:
  --file FILE  read domains from FILE (- = stdin)
  --json       print the outcome as one JSON object
  -h, --help   show this help

Exit codes: 0 queued, 2 bad arguments, 3 some lines were not domains (the rest were queued).`;

async function* linesOf(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  const stream: NodeJS.ReadableStream = file === '-' ? stdin : createReadStream(file);
  try {
    for await (const target of readTargets(stream as AsyncIterable<Buffer>)) yield target.target;
  } catch (err) {
    throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${file === '-' ? 'stdin' : file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

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
    const { values, positionals } = parseCommandArgs(argv, { file: { type: 'string' }, json: { type: 'boolean' } });
    if (values.file !== undefined && positionals.length > 0) throw usageError('give domains or --file, not both');
    if (values.file === undefined && positionals.length === 0) throw usageError('give at least one DOMAIN or --file FILE');
    const settings = fleetSettings(io.env);
    const keys = redisKeys(settings.keyPrefix);
    const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      const server = await checkRedisServer(redis, settings.redisUrl);
      for (const warning of server.warnings) writeLine(io.stderr, `hopwatch enqueue: warning: ${warning}`);
      const queue = createCheckQueue(redis, keys, settings);
      const store = new CheckStore(redis, keys, STORE_LIMIT_DEFAULTS);
      const total = { submitted: 0, distinct: 0, created: 0, invalid: [] as string[] };
      try {
        const source = values.file !== undefined ? linesOf(values.file, io.stdin) : (async function* () { yield* positionals; })();
        for await (const batch of batches(source, 50_000)) {
          const outcome = await enqueueDomains(queue, store, settings, batch, 'manual');
          total.submitted += outcome.submitted;
          total.distinct += outcome.distinct;
          total.created += outcome.created;
          if (total.invalid.length < 100) total.invalid.push(...outcome.invalid.slice(0, 100 - total.invalid.length));
        }
      } finally {
        await queue.close();
      }
      if (values.json) writeLine(io.stdout, JSON.stringify(total));
      else {
        writeLine(io.stdout, `queued ${total.created} new check jobs for ${total.distinct} distinct domains (${total.submitted} given; the rest were duplicates or within the dedupe window)`);
        for (const bad of total.invalid) writeLine(io.stderr, `hopwatch enqueue: not a domain: ${bad}`);
      }
      return total.invalid.length > 0 ? ExitCode.inputError : ExitCode.ok;
    } finally {
      await closeRedis(redis);
    }
  },
};
