/**
 * Where a multi-input command's inputs come from, the same way for every command: positional
 * arguments, `-` for stdin, and `-l/--list FILE` (one input per line, first field; blank lines
 * and `#` comments skipped). Read on demand and bounded while reading (readTargets cuts long
 * lines; a NUL byte ends the read as binary input), so `/dev/zero` or a video given by mistake
 * is an error, not a hang or an out-of-memory crash.
 */
import { createReadStream } from 'node:fs';
import { readTargets, type ScanTarget } from '../check/scanDomains.js';
import { HopwatchError } from '../errors.js';
import { writeLine, type CliIo } from './io.js';

export interface InputItem extends ScanTarget {
  /** `argument`, `stdin` or the list file's path */
  source: string;
}

export interface InputOptions {
  positionals: string[];
  lists?: string[];
  io: CliIo;
  /** `hopwatch <command>` for the stdin notice */
  command: string;
  /** results only: no "reading stdin" notice */
  silent?: boolean;
}

/** Text input only: a NUL byte means someone passed a binary file (or /dev/zero) as a list. */
async function* textChunks(stream: AsyncIterable<string | Buffer>, name: string): AsyncGenerator<string | Buffer> {
  for await (const chunk of stream) {
    if (typeof chunk !== 'string' && chunk.includes(0)) throw new HopwatchError('INPUT_NOT_TEXT', `${name} is not a text list of domains (it holds binary bytes)`);
    yield chunk;
  }
}

function openStream(file: string, io: CliIo): AsyncIterable<string | Buffer> {
  return (file === '-' ? io.stdin : createReadStream(file)) as AsyncIterable<string | Buffer>;
}

function unreadable(name: string, err: unknown): HopwatchError {
  if (err instanceof HopwatchError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
  return new HopwatchError('INPUT_UNREADABLE', `cannot read ${name}: ${why}`, { cause: err });
}

/** Lines of one file (or `-`), as targets; read errors become INPUT_UNREADABLE / INPUT_NOT_TEXT. */
export async function* linesOf(file: string, io: CliIo): AsyncGenerator<ScanTarget> {
  const name = file === '-' ? 'stdin' : file;
  try {
    yield* readTargets(textChunks(openStream(file, io), name));
  } catch (err) {
    throw unreadable(name, err);
  }
}

/** Every input of the command, in order: arguments (with `-` expanded to stdin), then list files. */
export async function* commandInputs(options: InputOptions): AsyncGenerator<InputItem> {
  const { io } = options;
  let argLine = 0;
  const stdinNotice = (): void => {
    if (io.stdin.isTTY && !options.silent) writeLine(io.stderr, `${options.command}: reading inputs from stdin (one per line; Ctrl-D ends)`);
  };
  for (const arg of options.positionals) {
    argLine++;
    if (arg === '-') {
      stdinNotice();
      for await (const t of linesOf('-', io)) yield { ...t, source: 'stdin' };
    } else {
      yield { line: argLine, target: arg, source: 'argument' };
    }
  }
  for (const list of options.lists ?? []) {
    if (list === '-') stdinNotice();
    for await (const t of linesOf(list, io)) yield { ...t, source: list === '-' ? 'stdin' : list };
  }
}
