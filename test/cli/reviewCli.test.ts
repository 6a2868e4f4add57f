import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { parseCsv } from '../../src/review/csv.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { matchRecord, TOKENS, TOKEN_SETTING } from '../feed/reviewHarness.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';
import { runCli } from './cliHarness.js';

describe('review CLI against Redis: matches, review, export, audit verify', () => {
  const settings = testSettings();
  const env = { REDIS_URL: TEST_REDIS_URL, HOPWATCH_KEY_PREFIX: settings.keyPrefix, HOPWATCH_REVIEWER: 'carol' };
  const redis = new Redis(TEST_REDIS_URL);
  const keys = redisKeys(settings.keyPrefix);
  const ids: string[] = [];

  beforeAll(async () => {
    const store = new CheckStore(redis, keys);
    // the bundled seeds' site ids: the CLI reads the bundled reference set by default
    for (const [domain, site] of [['kat-new.test', 'kickasstorrents'], ['lime-new.test', 'limetorrents']] as const) ids.push((await store.recordCheck(matchRecord({ domain, site }))).feedId!);
  });
  afterAll(async () => {
    await dropPrefix(settings);
    redis.disconnect();
  });

  it('matches lists the feed as a table, JSON lines and CSV', async () => {
    const table = await runCli(['matches'], '', env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('kat-new.test');
    const json = await runCli(['matches', '--json', '--site', 'limetorrents'], '', env);
    expect(json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { domain: string }).domain)).toEqual(['lime-new.test']);
    const csv = await runCli(['matches', '--csv', '--sort', 'domain'], '', env);
    expect(parseCsv(csv.stdout).slice(1).map((r) => r[1])).toEqual(['kat-new.test', 'lime-new.test']);
    expect((await runCli(['matches', '--state', 'maybe'], '', env)).code).toBe(2);
  });

  it('review records cli:NAME; export shows it; audit verify says ok, then catches an edit', async () => {
    const r = await runCli(['review', ids[0]!, '--confirm', '--reason', 'same tracker set and template'], '', env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reviewer: 'cli:carol', decision: 'confirm', seq: 1 });
    expect((await runCli(['review', ids[1]!, '--confirm'], '', env)).code).toBe(2);
    expect((await runCli(['review', ids[1]!, '--confirm', '--reject', '--reason', 'xxxx'], '', env)).code).toBe(2);
    expect((await runCli(['review', '1-1', '--confirm', '--reason', 'no such match'], '', env)).code).toBe(3);

    const list = await runCli(['export', '--site', 'kickasstorrents', '--format', 'blocklist'], '', env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^kat-new\.test$/m);
    const order = await runCli(['export', '--order', 'tribunale-di-milano-2022-07-11-interim-injunction', '--format', 'ticket'], '', env);
    expect(order.code, order.stderr).toBe(0);
    expect((JSON.parse(order.stdout) as { fqdn: string[] }).fqdn).toEqual(['kat-new.test']);

    const ok = await runCli(['audit', 'verify'], '', env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 1 entries/);
    const raw = JSON.parse((await redis.lindex(keys.auditLog, 0))!) as Record<string, unknown>;
    await redis.lset(keys.auditLog, 0, JSON.stringify({ ...raw, reviewer: 'cli:mallory' }));
    const bad = await runCli(['audit', 'verify'], '', env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('entry 1: hash does not match');
  });
});

describe('hopwatch serve', () => {
  const settings = testSettings();
  afterAll(async () => {
    await dropPrefix(settings);
  });

  it('refuses to start without tokens (exit 3)', async () => {
    const r = await runCli(['serve', '--port', '0'], '', { REDIS_URL: TEST_REDIS_URL, HOPWATCH_KEY_PREFIX: settings.keyPrefix });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FEED_NO_TOKENS');
  });

  it('a bad token setting is a usage error that never prints the token', async () => {
    const r = await runCli(['serve'], '', { REDIS_URL: TEST_REDIS_URL, HOPWATCH_REVIEW_TOKENS: 'alice:boss:supersecret-token-123456' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('supersecret');
  });

  it('hopwatch config shows who may log in, never a token', async () => {
    const r = await runCli(['config'], '', { HOPWATCH_REVIEW_TOKENS: TOKEN_SETTING });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alice:reviewer:***');
    for (const token of Object.values(TOKENS)) expect(r.stdout).not.toContain(token);
  });

  it('starts as a process, prints its URL, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/queue/cliProcess.ts', 'serve', '--port', '0'], {
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, HOPWATCH_KEY_PREFIX: settings.keyPrefix, HOPWATCH_REVIEW_TOKENS: TOKEN_SETTING, HOPWATCH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error('serve exited before printing its URL')));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await (await fetch(`${url}healthz`)).json()).toEqual({ ok: true });
      expect((await fetch(`${url}api/me`)).status).toBe(401);
      expect(await (await fetch(`${url}api/me`, { headers: { authorization: `Bearer ${TOKENS.alice}` } })).json()).toEqual({ reviewer: 'alice', role: 'reviewer' });
      // the queue dashboard, admins only, showing the fleet's check queue
      expect((await fetch(`${url}admin/queues`, { headers: { authorization: `Bearer ${TOKENS.alice}` } })).status).toBe(403);
      expect((await fetch(`${url}admin/queues`, { headers: { authorization: `Bearer ${TOKENS.admin}` } })).status).toBe(200);
      const queues = (await (await fetch(`${url}admin/queues/api/queues`, { headers: { authorization: `Bearer ${TOKENS.admin}` } })).json()) as { queues: Array<{ name: string }> };
      expect(queues.queues.map((q) => q.name)).toContain('check');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
