/**
 * Argument parsing shared by every command (a stable API: other commands build on it).
 *
 * - `parseCommandArgs(argv, options, allowPositionals?)`: node:util parseArgs (strict) plus the
 *   conventions users expect: `--flag=value` and `--flag value` alike; a single-value flag given
 *   twice is an error (not silently the last); a negative number after a flag reaches the flag's
 *   validator (which says "must be positive") instead of parseArgs' "argument is ambiguous"; an
 *   unknown option is one line with a `did you mean --x?` hint. Every failure is
 *   CLI_BAD_ARGUMENT (the CLI prints one line, exit 2).
 * - `usageError(message)`: a CLI_BAD_ARGUMENT for a command's own checks.
 * - `parsePositiveInt(value, flag, fallback, max?)`: a whole number 1..max.
 * - `parseNonNegativeInt(value, flag, fallback, max?)`: a whole number 0..max.
 * - `OUTPUT_FLAGS` / `outputFlags(values)`: `--json`, `--csv`, `-o/--output`, `--silent`, validated.
 * - `splitList(values)`: a repeatable flag that also takes comma lists (`--known a,b --known c`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HopwatchError } from '../errors.js';
import { editDistance } from '../text/editDistance.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function usageError(message: string): HopwatchError {
  return new HopwatchError('CLI_BAD_ARGUMENT', message);
}


/** The closest known option to a mistyped one, if any is close enough to be what was meant. */
export function suggestOption(given: string, options: OptionSpec): string | null {
  const name = given.replace(/^-+/, '').split('=')[0]!;
  let best: { name: string; d: number } | null = null;
  for (const known of [...Object.keys(options), 'help']) {
    const d = known.startsWith(name) && name.length >= 2 ? 0.5 : editDistance(name, known);
    if (!best || d < best.d) best = { name: known, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.name.length / 3)) ? `--${best.name}` : null;
}

/** `--concurrency -5` → `--concurrency=-5`, so the value reaches its validator. */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  const takesValue = (token: string): boolean => {
    if (token.startsWith('--')) return options[token.slice(2)]?.type === 'string';
    if (/^-[a-zA-Z]$/.test(token)) return Object.values(options).some((o) => o.short === token[1] && o.type === 'string');
    return false;
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (next !== undefined && /^-\d/.test(next) && takesValue(token)) {
      // long: --flag=-5; short: -c-5 (parseArgs reads -c=-5 as the value "=-5")
      out.push(token.startsWith('--') ? `${token}=${next}` : `${token}${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** node:util parseArgs with the conventions above; errors are CLI_BAD_ARGUMENT. */
export function parseCommandArgs<T extends OptionSpec>(argv: string[], options: T, allowPositionals = true) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals, strict: true, tokens: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    if (unknown) {
      const hint = suggestOption(unknown[1]!, options);
      throw new HopwatchError('CLI_BAD_ARGUMENT', `unknown option ${unknown[1]}${hint ? ` (did you mean ${hint}?)` : ''}`, { cause: err });
    }
    const unexpected = /^Unexpected argument '([^']+)'/.exec(message);
    if (unexpected) throw new HopwatchError('CLI_BAD_ARGUMENT', `this command takes no argument "${unexpected[1]}"`, { cause: err });
    const missing = /^Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missing) throw new HopwatchError('CLI_BAD_ARGUMENT', `${missing[2]} needs a value`, { cause: err });
    throw new HopwatchError('CLI_BAD_ARGUMENT', message.split('\n')[0]!, { cause: err });
  }
  const seen = new Map<string, number>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (!spec || spec.multiple) continue;
    const count = (seen.get(token.name) ?? 0) + 1;
    seen.set(token.name, count);
    if (count === 2) throw usageError(`--${token.name} given twice; it takes one value`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A positive integer flag, with its name in the error. */
export function parsePositiveInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (/^-\d/.test(value)) throw usageError(`${flag} must be positive, got ${value}`);
  if (!/^\d+$/.test(value)) throw usageError(`${flag} takes a whole number, got "${value}"`);
  const n = Number(value);
  if (n < 1) throw usageError(`${flag} must be positive, got ${value}`);
  if (n > max) throw usageError(`${flag} must be between 1 and ${max}, got ${value}`);
  return n;
}

/** A whole-number flag that may be 0, with its name in the error. */
export function parseNonNegativeInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (/^-\d/.test(value)) throw usageError(`${flag} must be 0 or positive, got ${value}`);
  if (!/^\d+$/.test(value)) throw usageError(`${flag} takes a whole number, got "${value}"`);
  const n = Number(value);
  if (n > max) throw usageError(`${flag} must be between 0 and ${max}, got ${value}`);
  return n;
}

/** A repeatable flag that also takes comma-separated lists: `--known a.txt,b.txt --known c.txt`. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

/** The output flags of every result-printing command. */
export const OUTPUT_FLAGS = {
  json: { type: 'boolean', short: 'j' },
  csv: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  silent: { type: 'boolean' },
} as const;

export type OutputFormat = 'text' | 'json' | 'csv';

export interface OutputChoice {
  format: OutputFormat;
  /** file to write results to instead of stdout */
  output: string | null;
  /** results only: no summary, progress or notices */
  silent: boolean;
}

export function outputFlags(values: { json?: boolean; csv?: boolean; output?: string; silent?: boolean }): OutputChoice {
  if (values.json && values.csv) throw usageError('--json and --csv cannot be combined');
  if (values.output === '') throw usageError('--output needs a file name');
  return { format: values.json ? 'json' : values.csv ? 'csv' : 'text', output: values.output ?? null, silent: values.silent ?? false };
}

/** The input flags of every multi-input command: `-l/--list FILE` (repeatable; `-` = stdin). */
export const INPUT_FLAGS = {
  list: { type: 'string', short: 'l', multiple: true },
} as const;
