/**
 * A Redis password never appears in any output, whichever form the URL carries it in: the
 * userinfo (`redis://:pw@`, `rediss://user:pw@`) or a query parameter (`?password=`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { maskRedisUrl } from '../../src/config/settings.js';
import { runCli } from '../cli/cliHarness.js';
import { freePort } from '../support/freePort.js';
import { dropPrefix, testSettings } from './queueHarness.js';

const SECRET = 'Sekr1t-pa55word';
const CLI = fileURLToPath(new URL('./cliProcess.ts', import.meta.url));

describe('the Redis password is masked in every output', () => {
  const settings = testSettings();
  const base = new URL(settings.redisUrl);
  const forms = [
    `redis://:${SECRET}@${base.host}/`,
    `redis://default:${SECRET}@${base.host}`,
    `redis://${base.host}/?password=${SECRET}`,
    `redis://${base.host}/0?db=0&password=${SECRET}`,
    `rediss://user:${SECRET}@${base.host}/?password=${SECRET}`,
  ];
  afterAll(async () => {
    await dropPrefix(settings);
  });

  it.each(forms)('maskRedisUrl(%s) keeps the host and hides the password', (url) => {
    const masked = maskRedisUrl(url);
    expect(masked).not.toContain(SECRET);
    expect(masked).toContain(base.host);
    expect(masked).toContain('***');
  });

  it.each(forms.filter((u) => u.startsWith('redis:')))('config, status --json and a refused connection never print it (%s)', async (url) => {
    const env = { REDIS_URL: url, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
    const outputs: string[] = [];
    for (const argv of [['config'], ['config', '--json'], ['status', '--json']]) {
      const r = await runCli(argv, '', env);
      outputs.push(r.stdout, r.stderr);
    }
    // a Redis that does not answer: the error names the URL, masked
    const closed = await freePort();
    const down = await runCli(['status', '--json'], '', { ...env, REDIS_URL: url.replace(base.host, `127.0.0.1:${closed}`) });
    expect(down.code).not.toBe(0);
    outputs.push(down.stdout, down.stderr);
    for (const text of outputs) expect(text).not.toContain(SECRET);
    expect(outputs.join('\n')).toContain('***');
  }, 60_000);

  it("the worker's start log never prints it", async () => {
    const url = `redis://${base.host}/?password=${SECRET}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--concurrency', '1'], {
      env: { ...process.env, REDIS_URL: url, HOPWATCH_KEY_PREFIX: settings.keyPrefix, HOPWATCH_RECHECK_INTERVAL_MS: '0', HOPWATCH_FINGERPRINT_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 50_000);
      child.stderr.on('data', () => {
        if (out.includes('worker started')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`worker exited: ${out}`));
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(out).toContain('worker started');
    expect(out).toContain('***');
    expect(out).not.toContain(SECRET);
  }, 60_000);
});
