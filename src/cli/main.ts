import { describeError, isHopwatchError } from '../errors.js';
import { ExitCode, processIo, writeLine, type CliIo, type Command } from './io.js';

/** Commands load lazily so `hopwatch check` never pays for the queue or the crawler it does not use. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: { summary: 'check saved pages (--html) or live domains against the blocked sites', load: async () => (await import('./commands/check.js')).checkCommand },
  fingerprint: { summary: 'print the fingerprint of saved pages, one JSON line each', load: async () => (await import('./commands/fingerprint.js')).fingerprintCommand },
  refs: { summary: 'create or extend a reference-set file from saved pages', load: async () => (await import('./commands/refs.js')).refsCommand },
  scan: { summary: 'check many domains in one process (no Redis)', load: async () => (await import('./commands/scan.js')).scanCommand },
  candidates: { summary: 'propose candidate future domains from known domain history', load: async () => (await import('./commands/candidates.js')).candidatesCommand },
  discover: { summary: 'discovery sources: `discover ct` filters Certificate Transparency names', load: async () => (await import('./commands/discover.js')).discoverCommand },
  worker: { summary: 'run a queue worker on Redis (checks, re-checks, metrics)', load: async () => (await import('./commands/worker.js')).workerCommand },
  enqueue: { summary: 'queue candidate domains for the workers (deduplicated)', load: async () => (await import('./commands/enqueue.js')).enqueueCommand },
  status: { summary: 'queue depths, check rates, failures, oldest waiting job', load: async () => (await import('./commands/status.js')).statusCommand },
  evidence: { summary: 'verify an evidence package (`evidence verify FILE|HASH`)', load: async () => (await import('./commands/evidence.js')).evidenceCommand },
  config: { summary: 'print the fleet settings (env vars, values, defaults)', load: async () => (await import('./commands/config.js')).configCommand },
  serve: { summary: 'run the review server (feed, decisions, exports, review page)', load: async () => (await import('./commands/serve.js')).serveCommand },
  matches: { summary: 'list the match feed (filters; table, JSON lines or CSV)', load: async () => (await import('./commands/matches.js')).matchesCommand },
  review: { summary: 'confirm, reject or ask more of a match (audit-logged)', load: async () => (await import('./commands/review.js')).reviewCommand },
  export: { summary: 'export confirmed domains per site or legal order (guarded)', load: async () => (await import('./commands/export.js')).exportCommand },
  audit: { summary: 'audit verify: check the hash chain of review decisions', load: async () => (await import('./commands/audit.js')).auditCommand },
  queue: { summary: 'pause, resume, drain or clean the fleet\'s check queue', load: async () => (await import('./commands/queue.js')).queueCommand },
  domain: { summary: 'what the fleet knows about one domain: state, history, last check, feed entries', load: async () => (await import('./commands/domain.js')).domainCommand },
};

function topUsage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: hopwatch <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `hopwatch <command> --help` for a command\'s options.',
    '',
    'Exit codes (every command, in this order): 1 if any input matched (mirror or likely),',
    '  else 3 if any input could not be read or fetched, else 0; 2 bad arguments;',
    '  70 internal error; 130 interrupted. See docs/cli.md.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(name === undefined ? io.stderr : io.stdout, topUsage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    const { version } = await import('../version.js');
    writeLine(io.stdout, version);
    return ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    writeLine(io.stderr, `hopwatch: unknown command "${name}"\n\n${topUsage()}`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (isHopwatchError(err) && (err.code === 'CLI_BAD_ARGUMENT' || err.code === 'CONFIG_INVALID')) {
      // one line and where to look, not the whole usage: the mistake stays visible
      writeLine(io.stderr, `hopwatch ${name}: ${err.message}\nRun \`hopwatch ${name} --help\` for usage.`);
      return ExitCode.usage;
    }
    if (isHopwatchError(err)) {
      writeLine(io.stderr, `hopwatch ${name}: ${describeError(err)}`);
      return ExitCode.inputError;
    }
    writeLine(io.stderr, `hopwatch ${name}: internal error: ${describeError(err)}`);
    if (io.env.HOPWATCH_DEBUG) writeLine(io.stderr, err instanceof Error ? String(err.stack) : '');
    return ExitCode.internal;
  }
}
