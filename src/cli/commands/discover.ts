import { createReadStream } from 'node:fs';
import { HopwatchError } from '../../errors.js';
import { ctLineFilter, MAX_CT_LINE_CHARS } from '../../discovery/ctNames.js';
import { learnKnowledge, type DiscoveryKnowledge } from '../../discovery/knowledge.js';
import { startCertstream, validateStreamUrl } from '../../ctstream/certstreamClient.js';
import { createCtBatcher } from '../../ctstream/ctBatcher.js';
import { parseCommandArgs, parsePositiveInt, splitList, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { readKnownHistories } from '../knownHistories.js';

const usage = `Usage: hopwatch discover ct [FILE|-] --known FILE [--known FILE]... [--json]
       hopwatch discover ct --stream ws://HOST:PORT/PATH --known FILE... [--json] [--max-certificates N]

Filter Certificate Transparency names: reads certstream-style JSON lines or plain name
lists (FILE, or standard input for - or no FILE) and prints the names that carry a known
brand or sit on a known proxy base, with the reason. Brands and proxy bases are learned
from the --known histories ("DATE DOMAIN [SITE]" lines); known domains are left out.

  --known FILE          a domain history (one per flag: repeat it, or give a comma list);
                        redis: the fleet's history in Redis (REDIS_URL, HOPWATCH_KEY_PREFIX)
  --json                JSON lines: domain, site, source, reason, score
  --stream URL          read a live certstream-compatible websocket instead of a file
                        (certstream-server-go messages; reconnects with backoff, pings to
                        keep alive); runs until SIGINT / SIGTERM
  --max-certificates N  with --stream: stop after N certificates (default: never)`;

/** Reading a live stream: the names printed as they arrive, until a signal or the certificate count. */
async function readStream(url: string, knowledge: DiscoveryKnowledge, json: boolean, maxCertificates: number, io: CliIo): Promise<number> {
  validateStreamUrl(url);
  const seen = new Set<string>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let certificates = 0;
  const batcher = createCtBatcher({
    batchMs: 200,
    knowledge: async () => knowledge,
    async onCandidates(found) {
      for (const c of found) {
        if (seen.has(c.domain)) continue;
        // bounded: a week-long run sees millions of names; forgetting old ones only risks a repeat line
        if (seen.size >= MAX_SEEN_NAMES) seen.clear();
        seen.add(c.domain);
        writeLine(io.stdout, json ? JSON.stringify(c) : `${c.domain}\t${c.site}\t${c.reason}`);
      }
    },
  });
  const client = startCertstream({
    url,
    onNames(names) {
      batcher.add(names);
      certificates++;
      if (maxCertificates > 0 && certificates >= maxCertificates) done();
    },
    onState: (event) => writeLine(io.stderr, JSON.stringify({ time: new Date().toISOString(), msg: `ct stream ${event.state}`, ...event })),
  });
  const onSignal = (): void => done();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close();
    await batcher.close();
  }
  return ExitCode.ok;
}

const MAX_SEEN_NAMES = 1_000_000;

/**
 * Lines of a CT stream, each cut at MAX_CT_LINE_CHARS while it is read (readline would build an
 * endless line in memory first: `discover ct /dev/zero` died with `Invalid string length`). A NUL
 * byte means binary input, not CT JSON or a name list.
 */
async function* lines(stream: NodeJS.ReadableStream, name: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let cut = false;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    if (typeof chunk !== 'string' && chunk.includes(0)) throw new HopwatchError('INPUT_NOT_TEXT', `${name} is not CT JSON lines or a name list (it holds binary bytes)`);
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (!cut) yield line;
      cut = false;
    }
    if (pending.length > MAX_CT_LINE_CHARS) {
      if (!cut) yield pending.slice(0, MAX_CT_LINE_CHARS);
      pending = '';
      cut = true;
    }
  }
  pending += decoder.decode();
  if (pending && !cut) yield pending;
}

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'discovery sources: `discover ct` filters Certificate Transparency names',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const [source, ...rest] = argv;
    if (source !== 'ct') throw usageError(source === undefined ? 'name a source: ct' : `unknown source "${source}" (known: ct)`);
    // one history per --known (or a comma list): the flag never swallows the CT input
    const { values, positionals } = parseCommandArgs(rest, {
      known: { type: 'string', multiple: true },
      json: { type: 'boolean', short: 'j' },
      stream: { type: 'string' },
      'max-certificates': { type: 'string' },
    });
    if (positionals.length > 1) throw usageError(`discover ct reads one input (FILE or -), got ${positionals.length}; give each history as --known FILE`);
    const input = positionals[0];
    const histories = splitList(values.known);
    if (histories.length === 0) throw usageError('--known FILE is required (brands and proxy bases are learned from it)');
    if (values.stream !== undefined && input !== undefined) throw usageError('give either an input FILE or --stream URL, not both');
    if (values.stream === undefined && values['max-certificates'] !== undefined) throw usageError('--max-certificates is only used with --stream');
    if (values.stream !== undefined && !/^wss?:\/\//i.test(values.stream)) throw usageError(`--stream takes a ws:// or wss:// URL, got "${values.stream.slice(0, 200)}"`);
    const maxCertificates = parsePositiveInt(values['max-certificates'], '--max-certificates', 0);
    const knowledge = learnKnowledge(await readKnownHistories(histories, io.env));
    if (values.stream !== undefined) return readStream(values.stream, knowledge, values.json === true, maxCertificates, io);
    let stream: NodeJS.ReadableStream;
    if (input === undefined || input === '-') {
      stream = io.stdin;
    } else {
      const file = createReadStream(input);
      await new Promise<void>((resolve, reject) => {
        file.once('open', () => resolve());
        file.once('error', (err) => reject(new HopwatchError('DISCOVERY_CT_UNREADABLE', `cannot read ${input}: ${err.message}`, { cause: err })));
      });
      stream = file;
    }
    // Line by line, so a live CT stream piped in is filtered as it arrives; the matcher is
    // built once (rebuilding it per line was a third of the run). Only hits are remembered
    // across lines: a set of every name seen would grow without bound on a live stream.
    const filter = ctLineFilter(knowledge);
    const seen = new Set<string>();
    for await (const line of lines(stream, input === undefined || input === '-' ? 'stdin' : input)) {
      for (const c of filter.line(line)) {
        if (seen.has(c.domain)) continue;
        seen.add(c.domain);
        writeLine(io.stdout, values.json ? JSON.stringify(c) : `${c.domain}\t${c.site}\t${c.reason}`);
      }
    }
    return ExitCode.ok;
  },
};
