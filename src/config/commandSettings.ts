/**
 * Settings for the fleet commands (worker, enqueue, status, config): the environment, then the
 * few flags a command takes, validated once by src/config. A bad value is a usage error naming
 * the env var or flag, not a stack trace.
 */
import { loadSettings, type SettingName, type Settings } from './settings.js';
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

export function jsonLine(value: unknown): string {
  return JSON.stringify(value);
}
