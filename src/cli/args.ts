import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HopwatchError } from '../errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs with errors turned into CLI_BAD_ARGUMENT, so every command
 * reports a wrong flag the same way (message + usage, exit 2, no stack).
 */
export function parseCommandArgs<T extends OptionSpec>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new HopwatchError('CLI_BAD_ARGUMENT', err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export function usageError(message: string): HopwatchError {
  return new HopwatchError('CLI_BAD_ARGUMENT', message);
}

/** A positive integer flag, with its name in the error. */
export function parsePositiveInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw usageError(`${flag} takes a whole number, got "${value}"`);
  const n = Number(value);
  if (n < 1 || n > max) throw usageError(`${flag} must be between 1 and ${max}, got ${value}`);
  return n;
}
