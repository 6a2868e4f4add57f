/**
 * Settings for the fleet commands (worker, enqueue, status, config): the environment, then the
 * few flags a command takes, validated once by src/config. A bad value is a usage error naming
 * the env var or flag, not a stack trace.
 */
import { readBoundedFile } from '../boundedFile.js';
import { loadSettings, loadSomeSettings, parseSettingsFile, unknownSettingVariables, type SettingName, type Settings } from './settings.js';
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

/** A settings file is a few dozen lines; anything larger is the wrong file. */
const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

export interface CommandSettingsOptions {
  /** `--config FILE`: variables with the environment's names; the environment overrides them */
  configFile?: string | undefined;
  /** filled with the variable names the settings file set (so `config` can say where a value came from) */
  fileVariables?: Set<string>;
  overrides?: Partial<Record<SettingName, unknown>>;
  /** where warnings go (unknown HOPWATCH_* variables) */
  warn: (line: string) => void;
}

/**
 * The settings of a fleet command: `--config FILE`, then the environment, then flags, validated
 * once. Unknown HOPWATCH_* variables are warned about (a typo must not silently fall back to a
 * default); a bad value is CLI_BAD_ARGUMENT naming the variable.
 */
export async function commandSettings(env: NodeJS.ProcessEnv, options: CommandSettingsOptions): Promise<Settings> {
  for (const { name, suggestion } of unknownSettingVariables(env)) {
    options.warn(`warning: ${name} is not a hopwatch setting and is ignored${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
  }
  let fromFile: Record<string, string> = {};
  if (options.configFile !== undefined) {
    const text = (await readBoundedFile(options.configFile, MAX_SETTINGS_FILE_BYTES, { unreadable: 'CONFIG_INVALID', tooLarge: 'CONFIG_INVALID', notText: 'CONFIG_INVALID' }, `settings file ${options.configFile}`)).toString('utf8');
    try {
      fromFile = parseSettingsFile(text, options.configFile);
    } catch (err) {
      if (isHopwatchError(err)) throw usageError(err.message);
      throw err;
    }
  }
  for (const name of Object.keys(fromFile)) options.fileVariables?.add(name);
  const merged: NodeJS.ProcessEnv = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[name] = value;
  return fleetSettings(merged, options.overrides ?? {});
}
