import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HopwatchError } from '../../errors.js';
import { ctCandidates, MAX_CT_LINE_CHARS } from '../../discovery/ctNames.js';
import { learnKnowledge, type DiscoveryKnowledge } from '../../discovery/knowledge.js';
import { startCertstream, validateStreamUrl } from '../../ctstream/certstreamClient.js';
import { createCtBatcher } from '../../ctstream/ctBatcher.js';
import { parseCommandArgs, parsePositiveInt, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { readKnownHistories } from '../knownHistories.js';

const usage = `Usage: hopwatch discover ct [FILE|-] --known FILE... [--json]   (FILE or - first, right after ct)
       hopwatch discover ct --stream ws://HOST:PORT/PATH --known FILE... [--json] [--max-certificates N]

Filter Certificate Transparency names: reads certstream-style JSON lines or plain name
lists (FILE, or standard input for - or no FILE) and prints the names that carry a known
brand or sit on a known proxy base, with the reason. Brands and proxy bases are learned
from the --known histories ("DATE DOMAIN [SITE]" lines); known domains are left out.

  --known FILE          a domain history (repeat for several); redis: the fleet's in Redis
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

async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of reader) yield line.length > MAX_CT_LINE_CHARS ? line.slice(0, MAX_CT_LINE_CHARS) : line;
}

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'discovery sources: `discover ct` filters Certificate Transparency names',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const [source, ...rest] = argv;
    if (source !== 'ct') throw usageError(source === undefined ? 'name a source: ct' : `unknown source "${source}" (known: ct)`);
    // The input comes right after `ct`; names after `--known` are all histories (a shell glob).
    const input = rest[0] !== undefined && !rest[0].startsWith('--') ? rest[0] : undefined;
    const { values, positionals } = parseCommandArgs(input === undefined ? rest : rest.slice(1), {
      known: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      stream: { type: 'string' },
      'max-certificates': { type: 'string' },
    });
    if (!values.known?.length) throw usageError('--known FILE is required (brands and proxy bases are learned from it)');
    if (values.stream !== undefined && input !== undefined) throw usageError('give either an input FILE or --stream URL, not both');
    if (values.stream === undefined && values['max-certificates'] !== undefined) throw usageError('--max-certificates is only used with --stream');
    if (values.stream !== undefined && !/^wss?:\/\//i.test(values.stream)) throw usageError(`--stream takes a ws:// or wss:// URL, got "${values.stream.slice(0, 200)}"`);
    const maxCertificates = parsePositiveInt(values['max-certificates'], '--max-certificates', 0);
    const knowledge = learnKnowledge(await readKnownHistories([...values.known, ...positionals], io.env));
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
    // Line by line, so a live CT stream piped in is filtered as it arrives.
    const seen = new Set<string>();
    for await (const line of lines(stream)) {
      for (const c of ctCandidates([line], knowledge)) {
        if (seen.has(c.domain)) continue;
        seen.add(c.domain);
        writeLine(io.stdout, values.json ? JSON.stringify(c) : `${c.domain}\t${c.site}\t${c.reason}`);
      }
    }
    return ExitCode.ok;
  },
};
