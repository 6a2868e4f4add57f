import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HopwatchError } from '../../errors.js';
import { ctLineFilter, MAX_CT_LINE_CHARS } from '../../discovery/ctNames.js';
import { learnKnowledge } from '../../discovery/knowledge.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { readHistories } from './candidates.js';

const usage = `Usage: hopwatch discover ct [FILE|-] --known FILE... [--json]   (FILE or - first, right after ct)

Filter Certificate Transparency names: reads certstream-style JSON lines or plain name
lists (FILE, or standard input for - or no FILE) and prints the names that carry a known
brand or sit on a known proxy base, with the reason. Brands and proxy bases are learned
from the --known histories ("DATE DOMAIN [SITE]" lines); known domains are left out.

  --known FILE  a domain history (repeat for several)
  --json        JSON lines: domain, site, source, reason, score`;

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
    const { values, positionals } = parseCommandArgs(input === undefined ? rest : rest.slice(1), { known: { type: 'string', multiple: true }, json: { type: 'boolean' } });
    if (!values.known?.length) throw usageError('--known FILE is required (brands and proxy bases are learned from it)');
    const knowledge = learnKnowledge(await readHistories([...values.known, ...positionals]));
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
    for await (const line of lines(stream)) {
      for (const c of filter.line(line)) {
        if (seen.has(c.domain)) continue;
        seen.add(c.domain);
        writeLine(io.stdout, values.json ? JSON.stringify(c) : `${c.domain}\t${c.site}\t${c.reason}`);
      }
    }
    return ExitCode.ok;
  },
};
