/**
 * Every setting of the worker fleet in one zod schema: one environment variable per field, units
 * in the names, validated once at start-up and frozen. `hopwatch config` prints the result, so an
 * operator sees what a worker will actually run with before starting it.
 */
import { z } from 'zod';
import { HopwatchError } from '../errors.js';
import { editDistance } from '../text/editDistance.js';

const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** One row per setting: its env var, its default and why. The schema and the docs table come from here. */
interface SettingSpec<T extends z.ZodType> {
  env: string;
  schema: T;
  help: string;
  secret?: boolean;
}

function spec<T extends z.ZodType>(env: string, schema: T, help: string, secret = false): SettingSpec<T> {
  return { env, schema, help, secret };
}

export const SETTING_SPECS = {
  redisUrl: spec('REDIS_URL', z.string().url().refine((u) => /^rediss?:\/\//.test(u), 'must be a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'), 'Redis the fleet shares (queue, store, feed); the password is masked when printed', true),
  keyPrefix: spec('HOPWATCH_KEY_PREFIX', z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'letters, digits, _ . - only (1..64)').default('hopwatch'), 'prefix of every Redis key; written as a Cluster hash tag {prefix} so one slot holds them all'),
  workerConcurrency: spec('HOPWATCH_WORKER_CONCURRENCY', count(1, 256).default(8), 'checks at once per worker process'),
  rateLimitMax: spec('HOPWATCH_RATE_LIMIT_MAX', count(1, 100_000).default(50), 'global rate limit: at most this many checks start per window, across all workers'),
  rateLimitWindowMs: spec('HOPWATCH_RATE_LIMIT_WINDOW_MS', ms(10, 3_600_000).default(1000), 'the global rate limit window'),
  politenessDelayMs: spec('HOPWATCH_POLITENESS_DELAY_MS', ms(0, 3_600_000).default(2000), 'least time between two checks of one host, across all workers (a Redis lease)'),
  dedupeWindowMs: spec('HOPWATCH_DEDUPE_WINDOW_MS', ms(0, 30 * 86_400_000).default(6 * 3_600_000), 'a domain enqueued again within this window is not checked again'),
  checkAttempts: spec('HOPWATCH_CHECK_ATTEMPTS', count(1, 50).default(4), 'attempts for a check that fails with a passing fault (timeout, reset, DNS failure)'),
  backoffDelayMs: spec('HOPWATCH_BACKOFF_DELAY_MS', ms(10, 86_400_000).default(5000), 'first retry delay; doubles each attempt'),
  backoffJitter: spec('HOPWATCH_BACKOFF_JITTER', z.coerce.number().min(0).max(1).default(0.5), 'fraction of each retry delay that is random, so retries of one outage spread out'),
  keepCompletedJobs: spec('HOPWATCH_KEEP_COMPLETED_JOBS', count(0, 1_000_000).default(1000), 'finished jobs kept in Redis (results live in the store, not in jobs)'),
  keepFailedJobs: spec('HOPWATCH_KEEP_FAILED_JOBS', count(0, 1_000_000).default(5000), 'failed jobs kept for `status` and inspection'),
  eventStreamMaxLen: spec('HOPWATCH_EVENT_STREAM_MAX_LEN', count(100, 1_000_000).default(10_000), 'approximate length cap of the queue event stream'),
  historyPerCandidate: spec('HOPWATCH_HISTORY_PER_CANDIDATE', count(1, 10_000).default(50), 'check-history entries kept per candidate domain'),
  reviewedFeedKept: spec('HOPWATCH_REVIEWED_FEED_KEPT', count(0, 10_000_000).default(100_000), 'reviewed match-feed entries kept; unreviewed entries are never trimmed'),
  reviewTokens: spec('HOPWATCH_REVIEW_TOKENS', z.string().max(100_000).default('').refine((v) => reviewTokensProblem(v) === null, { message: 'entries are name:role:token separated by commas; role viewer, reviewer or admin; token at least 16 characters of [A-Za-z0-9._~+/=-]' }), 'bearer tokens of `hopwatch serve`: name:role:token,... (roles viewer < reviewer < admin); masked when printed', true),
  reviewHost: spec('HOPWATCH_REVIEW_HOST', z.string().min(1).max(255).default('127.0.0.1'), 'address `hopwatch serve` binds to (--host)'),
  reviewPort: spec('HOPWATCH_REVIEW_PORT', count(0, 65_535).default(8080), 'port of `hopwatch serve` (--port); 0 = any free port'),
  reviewRateLimitMax: spec('HOPWATCH_REVIEW_RATE_LIMIT_MAX', count(1, 1_000_000).default(300), 'requests per client address per window on `hopwatch serve`, failed authentications included (a token cannot be guessed faster)'),
  reviewRateLimitWindowMs: spec('HOPWATCH_REVIEW_RATE_LIMIT_WINDOW_MS', ms(1000, 86_400_000).default(60_000), 'the review server\'s rate-limit window'),
  reviewViewTokenTtlMs: spec('HOPWATCH_REVIEW_VIEW_TOKEN_TTL_MS', ms(1000, 86_400_000).default(900_000), 'lifetime of a /view capability minted into a match detail (an iframe cannot send the bearer header)'),
  reviewFourEyesSites: spec('HOPWATCH_REVIEW_FOUR_EYES_SITES', z.string().max(10_000).regex(/^(\*|[a-z0-9._,-]*)$/, 'site ids separated by commas, or *').default(''), 'sites whose domains need confirmations by two different reviewers before an export lists them; * = every site'),
  reviewer: spec('HOPWATCH_REVIEWER', z.string().regex(/^[A-Za-z0-9_.@-]{0,64}$/, 'letters, digits, _ . @ - only (up to 64)').default(''), 'the reviewer name `hopwatch review` records (as cli:NAME) when --reviewer is not given'),
  metricsPort: spec('HOPWATCH_METRICS_PORT', count(0, 65_535).default(0), 'Prometheus /metrics port of a worker; 0 = off'),
  metricsHost: spec('HOPWATCH_METRICS_HOST', z.string().min(1).max(255).default('127.0.0.1'), 'address the metrics server binds to'),
  recheckIntervalMs: spec('HOPWATCH_RECHECK_INTERVAL_MS', ms(0, 365 * 86_400_000).default(86_400_000), 'how often confirmed mirrors and known domains are re-checked; 0 = never (unless a cron is set)'),
  recheckCron: spec('HOPWATCH_RECHECK_CRON', z.string().max(100).default(''), 'cron pattern for re-checks (overrides the interval), e.g. "0 3 * * *"'),
  stalledIntervalMs: spec('HOPWATCH_STALLED_INTERVAL_MS', ms(100, 3_600_000).default(30_000), 'how often a worker looks for jobs whose worker died'),
  lockDurationMs: spec('HOPWATCH_LOCK_DURATION_MS', ms(200, 3_600_000).default(60_000), 'a job whose worker stops renewing its lock this long is taken back'),
  maxStalledCount: spec('HOPWATCH_MAX_STALLED_COUNT', count(0, 100).default(3), 'times a job may be taken back from a dead worker before it fails'),
  fingerprintThreads: spec('HOPWATCH_FINGERPRINT_THREADS', count(1, 64).default(2), 'worker threads that fingerprint and match pages (per worker or scan process); fingerprinting is CPU work, so 2 keeps the main thread a core for fetching and lock renewal on a small machine; `check` uses 1'),
  fingerprintDeadlineMs: spec('HOPWATCH_FINGERPRINT_DEADLINE_MS', ms(100, 600_000).default(20_000), 'longest one page may take to fingerprint before its thread is cut off (FINGERPRINT_TIMEOUT); the slowest adversarial 7.5 MiB page measured takes about 0.35 s on an idle core with the one-pass fingerprint (several seconds on a loaded 2-core machine), so 20 s is ample yet bounds what one poison page costs'),
  evidenceDir: spec('HOPWATCH_EVIDENCE_DIR', z.string().max(4096).default(''), 'directory where workers write an evidence package (WARC, manifest, body) for every match; empty = no packages (see docs/evidence.md)'),
  fanoutPerCheck: spec('HOPWATCH_FANOUT_PER_CHECK', count(0, 100).default(5), 'new candidates one check may enqueue (redirect targets): a real move redirects through one or two hosts; a hostile chain offers ten per check'),
  fanoutPerSiteHour: spec('HOPWATCH_FANOUT_PER_SITE_HOUR', count(0, 1_000_000).default(200), 'new candidates the checks of one site may enqueue per hour, all workers together; checks that matched no site share one budget, so a hostile domain cannot flood the queue with hosts it chose'),
  shutdownTimeoutMs: spec('HOPWATCH_SHUTDOWN_TIMEOUT_MS', ms(100, 600_000).default(30_000), 'graceful shutdown waits this long for running checks, then aborts them'),
  discoveryEnabled: spec('HOPWATCH_DISCOVERY', z.enum(['on', 'off']).default('on'), 'run the discovery worker beside the check worker (schedule, triggers, CT stream); off = checks only'),
  discoveryKnownPaths: spec('HOPWATCH_DISCOVERY_KNOWN', z.string().max(10_000).default(''), 'domain-history files ("DATE DOMAIN [SITE]" lines) discovery learns from, comma-separated; the Redis site-domain history is always added'),
  discoveryIntervalMs: spec('HOPWATCH_DISCOVERY_INTERVAL_MS', ms(0, 30 * 86_400_000).default(30_000), 'how often candidates are generated from the known histories; 0 = never (triggers still run). Cheap: a ranked list, then one DNS lookup per name'),
  discoveryBudget: spec('HOPWATCH_DISCOVERY_BUDGET', count(1, 1_000_000).default(1000), 'candidates generated per scheduled run (DNS-pre-checked, then checked if live)'),
  discoveryTriggerPerHour: spec('HOPWATCH_DISCOVERY_TRIGGER_PER_HOUR', count(1, 1_000_000).default(500), 'candidates each trigger kind (match, redirect, san, link, ct) may propose per hour, across the fleet'),
  discoveryQueueMax: spec('HOPWATCH_DISCOVERY_QUEUE_MAX', count(10, 1_000_000).default(10_000), 'waiting discovery jobs above which new triggers are dropped (counted in the log), so a flood never fills Redis'),
  discoveryRecentMs: spec('HOPWATCH_DISCOVERY_RECENT_MS', ms(0, 365 * 86_400_000).default(86_400_000), 'a candidate the store saw within this window is not proposed again'),
  discoveryDnsConcurrency: spec('HOPWATCH_DISCOVERY_DNS_CONCURRENCY', count(1, 256).default(16), 'DNS pre-check lookups in flight per discovery job'),
  discoveryDnsServer: spec('HOPWATCH_DISCOVERY_DNS_SERVER', z.string().max(300).default(''), 'DNS server (HOST:PORT) of the pre-check; empty = the crawler\'s resolver (the --dns-server flag or the system\'s)'),
  ctStreamUrl: spec('HOPWATCH_CT_STREAM_URL', z.string().max(2000).refine((u) => u === '' || /^wss?:\/\//.test(u), 'must be a ws:// or wss:// URL').default(''), 'certstream-compatible websocket the worker reads CT names from; empty = off'),
  ctBatchMs: spec('HOPWATCH_CT_BATCH_MS', ms(10, 600_000).default(1000), 'CT names are filtered and sent to discovery in batches this often'),
  logLevel: spec('HOPWATCH_LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'worker log level (JSON lines on stderr): info logs every check outcome and feed entry; debug adds retries and politeness delays'),
} as const;

/** HOPWATCH_* variables that are not settings but are read on purpose. */
const OTHER_HOPWATCH_VARIABLES = new Set(['HOPWATCH_DEBUG']);

/**
 * `HOPWATCH_*` variables that are no setting (a typo such as HOPWATCH_CONCURENCY would otherwise
 * be ignored silently), each with the closest setting's variable when one is near.
 */
export function unknownSettingVariables(env: NodeJS.ProcessEnv): Array<{ name: string; suggestion: string | null }> {
  const known = Object.values(SETTING_SPECS).map((s) => s.env);
  const unknown: Array<{ name: string; suggestion: string | null }> = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('HOPWATCH_') || known.includes(name) || OTHER_HOPWATCH_VARIABLES.has(name)) continue;
    const ranked = known.map((k) => ({ k, d: editDistance(name, k) })).sort((a, b) => a.d - b.d)[0];
    unknown.push({ name, suggestion: ranked && ranked.d <= 4 ? ranked.k : null });
  }
  return unknown;
}


/**
 * A settings file (`--config FILE`) has the environment's schema: the same variable names, as a
 * JSON object (`{"HOPWATCH_WORKER_CONCURRENCY": 16}`) or `NAME=VALUE` lines (`#` comments). Its
 * values are the defaults the environment then overrides (and flags override both).
 */
export function parseSettingsFile(text: string, source: string): Record<string, string> {
  const trimmed = text.trim();
  const out: Record<string, string> = {};
  const known = new Set(Object.values(SETTING_SPECS).map((s) => s.env));
  const put = (name: string, value: unknown, where: string): void => {
    if (!known.has(name)) throw new HopwatchError('CONFIG_INVALID', `${where}: ${name} is not a setting (see hopwatch config)`);
    if (value === null || typeof value === 'object') throw new HopwatchError('CONFIG_INVALID', `${where}: ${name} must be a string, number or boolean`);
    out[name] = String(value);
  };
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new HopwatchError('CONFIG_INVALID', `${source} is not valid JSON: ${(err as Error).message}`);
    }
    for (const [name, value] of Object.entries(json as Record<string, unknown>)) put(name, value, source);
    return out;
  }
  trimmed.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new HopwatchError('CONFIG_INVALID', `${source}:${i + 1}: expected NAME=VALUE`);
    put(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'), `${source}:${i + 1}`);
  });
  return out;
}

type Specs = typeof SETTING_SPECS;
export type Settings = Readonly<{ [K in keyof Specs]: z.output<Specs[K]['schema']> }>;
export type SettingName = keyof Specs;

const settingsSchema = z.object(Object.fromEntries(Object.entries(SETTING_SPECS).map(([k, s]) => [k, s.schema])) as { [K in keyof Specs]: Specs[K]['schema'] });

/**
 * Settings from the environment, then explicit overrides (CLI flags), validated once and frozen.
 * An empty env var counts as unset, so `HOPWATCH_X= hopwatch worker` gets the default.
 */
export function loadSettings(env: NodeJS.ProcessEnv, overrides: Partial<Record<SettingName, unknown>> = {}): Settings {
  const raw: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTING_SPECS)) {
    const value = env[s.env];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) raw[name] = value;
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '');
      const envName = name in SETTING_SPECS ? SETTING_SPECS[name as SettingName].env : name;
      return `${envName}: ${issue.message}`;
    });
    throw new HopwatchError('CONFIG_INVALID', `invalid settings: ${problems.join('; ')}`, { details: { problems } });
  }
  const settings = parsed.data as Settings;
  if (settings.recheckCron !== '' && !/^(\S+\s+){4,5}\S+$/.test(settings.recheckCron.trim())) {
    throw new HopwatchError('CONFIG_INVALID', `invalid settings: HOPWATCH_RECHECK_CRON: "${settings.recheckCron}" is not a 5 or 6 field cron pattern`);
  }
  return Object.freeze({ ...settings });
}

/**
 * Only the named settings, from the environment: for commands that run without Redis (`check`,
 * `scan`), so a fleet setting they never use cannot stop them. Same schemas, same errors.
 */
export function loadSomeSettings<K extends SettingName>(env: NodeJS.ProcessEnv, names: readonly K[]): Readonly<Pick<Settings, K>> {
  const out: Partial<Record<K, unknown>> = {};
  const problems: string[] = [];
  for (const name of names) {
    const s = SETTING_SPECS[name];
    const value = env[s.env];
    const parsed = s.schema.safeParse(value === '' ? undefined : value);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${s.env}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (problems.length > 0) throw new HopwatchError('CONFIG_INVALID', `invalid settings: ${problems.join('; ')}`, { details: { problems } });
  return Object.freeze(out) as Readonly<Pick<Settings, K>>;
}

const TOKEN_ENTRY = /^[A-Za-z0-9_.@-]{1,64}:(viewer|reviewer|admin):[A-Za-z0-9._~+/=-]{16,512}$/;

/** null when `name:role:token,...` is well formed (or empty), else the first bad entry's position. */
export function reviewTokensProblem(value: string): string | null {
  if (value.trim() === '') return null;
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.findIndex((e) => !TOKEN_ENTRY.test(e));
  return bad === -1 ? null : `entry ${bad + 1}`;
}

/** name:role:*** for each token entry: who may log in is shown, never a token. */
export function maskReviewTokens(value: string): string {
  if (value.trim() === '') return '';
  return value.split(',').map((e) => e.trim().split(':').slice(0, 2).concat('***').join(':')).join(',');
}

/** Query parameters that carry a credential (`redis://host/?password=…` is read by ioredis like userinfo). */
const SECRET_PARAM = /pass|pwd|auth|token|secret|key/i;

/**
 * The one way a Redis URL is printed (config, status, worker logs, error messages): the password
 * of the userinfo (`redis://:pw@`, `rediss://user:pw@`) and every credential-like query parameter
 * (`?password=`, `?auth=`) become `***`, and a fragment is dropped. Anything unparsable is not
 * printed at all, since it cannot be masked reliably.
 */
export function maskRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '<unparsable>';
  }
  if (u.password) u.password = '***';
  for (const name of [...new Set(u.searchParams.keys())]) if (SECRET_PARAM.test(name)) u.searchParams.set(name, '***');
  u.hash = '';
  return u.toString().replace(/\/$/, '').replace(/%2A%2A%2A/g, '***');
}

/** Rows for printing: name, env var, value (secrets masked), whether it is the default, help text. */
export function describeSettings(settings: Settings, env: NodeJS.ProcessEnv, fileVariables: ReadonlySet<string> = new Set()): Array<{ name: SettingName; env: string; value: string; source: 'env' | 'file' | 'default' | 'flag'; help: string }> {
  return (Object.keys(SETTING_SPECS) as SettingName[]).map((name) => {
    const s = SETTING_SPECS[name];
    const value = settings[name];
    const text = !s.secret ? String(value) : name === 'reviewTokens' ? maskReviewTokens(String(value)) : maskRedisUrl(String(value));
    const fromEnv = env[s.env] !== undefined && env[s.env] !== '';
    // the environment wins over the settings file, a flag over both (commandSettings' order)
    const source: 'env' | 'file' | 'default' | 'flag' = fromEnv ? 'env' : fileVariables.has(s.env) ? 'file' : String(value) === String(settingsSchema.shape[name].parse(undefined)) ? 'default' : 'flag';
    return { name, env: s.env, value: text, source, help: s.help };
  });
}
