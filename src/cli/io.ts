/** Where a command reads and writes; injected so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/**
 * Exit codes, the same for every command (documented in `hopwatch --help`):
 * a scripted caller can tell "nothing found" from "found something" from "could not run".
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
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
