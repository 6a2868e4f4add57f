/** Where a command reads and writes; injected so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** fires when the user interrupts the run (tests pass their own; default: the first SIGINT) */
  interrupt?: AbortSignal;
}

/**
 * The run's interrupt: `io.interrupt`, or the process's first SIGINT while the run lasts (the
 * listener is removed by dispose, so a second Ctrl-C after the run, or in another command, acts
 * as usual). Long-running commands stop taking inputs, print what they have, and exit 130.
 */
export function interruptSignal(io: CliIo): { signal: AbortSignal; dispose(): void } {
  if (io.interrupt) return { signal: io.interrupt, dispose: () => undefined };
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => void process.off('SIGINT', onSigint) };
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/**
 * Exit codes, the same for every command (documented once, in docs/cli.md, and in `--help`):
 * a scripted caller can tell "nothing found" from "found something" from "could not run".
 * When a run has several outcomes the precedence is: 1 if anything matched (a match must never
 * be hidden by an unreadable neighbour), else 3 if any input could not be read or fetched, else
 * 0. 2 (bad arguments), 70 (a bug) and 130 (interrupted) end the run and win over the rest.
 */
export const ExitCode = {
  /** ran; nothing matched */
  ok: 0,
  /** ran; at least one input matched a blocked site (mirror or likely) */
  matched: 1,
  /** the arguments are wrong; nothing was done */
  usage: 2,
  /** ran, but at least one input could not be read or checked (the others are reported) */
  inputError: 3,
  /** a bug: something failed that should have been a typed error */
  internal: 70,
  /** interrupted (SIGINT / Ctrl-C): what was done so far was printed, then the run stopped */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What a run saw, folded into its exit code by the one precedence above. */
export interface RunOutcome {
  /** at least one input matched a blocked site (mirror or likely) */
  matched: boolean;
  /** at least one input could not be read, fetched or parsed */
  failed: boolean;
  /** the run was interrupted before it read all its inputs */
  interrupted?: boolean;
}

export function exitCodeFor(outcome: RunOutcome): ExitCodeValue {
  if (outcome.interrupted) return ExitCode.interrupted;
  if (outcome.matched) return ExitCode.matched;
  return outcome.failed ? ExitCode.inputError : ExitCode.ok;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
