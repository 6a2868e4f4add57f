/**
 * Settings for the fleet commands (worker, enqueue, status, config): the environment, then the
 * few flags a command takes, validated once by src/config. A bad value is a usage error naming
 * the env var or flag, not a stack trace.
 */
import { loadSettings, loadSomeSettings, type SettingName, type Settings } from './settings.js';
import { isHopwatchError } from '../errors.js';
import { usageError } from '../cli/args.js';

export function fleetSettings(env: NodeJS.ProcessEnv, overrides: Partial<Record<SettingName, unknown>> = {}): Settings {
  try {
    return loadSettings(env, overrides);
  } catch (err) {
    if (isHopwatchError(err) && err.code === 'CONFIG_INVALID') throw usageError(err.message);
    throw err;
  }
}

/** The fingerprint pool of `check` and `scan`: HOPWATCH_FINGERPRINT_THREADS and HOPWATCH_FINGERPRINT_DEADLINE_MS only. */
export function pagePoolSettings(env: NodeJS.ProcessEnv): { threads: number; deadlineMs: number } {
  try {
    const s = loadSomeSettings(env, ['fingerprintThreads', 'fingerprintDeadlineMs']);
    return { threads: s.fingerprintThreads, deadlineMs: s.fingerprintDeadlineMs };
  } catch (err) {
    if (isHopwatchError(err) && err.code === 'CONFIG_INVALID') throw usageError(err.message);
    throw err;
  }
}

export function jsonLine(value: unknown): string {
  return JSON.stringify(value);
}
