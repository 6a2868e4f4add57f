import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cliHarness.js';
import { dropPrefix, testSettings } from './queueHarness.js';

/** The CLI in-process, with the fleet's environment. */
const run = (argv: string[], env: NodeJS.ProcessEnv, stdin = '') => runCli(argv, stdin, env);

describe('fleet commands', () => {
  const settings = testSettings();
  const env = { REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
  afterAll(async () => {
    await dropPrefix(settings);
  });

  it('enqueue dedupes arguments and stdin lines; status shows the waiting jobs', async () => {
    const first = await run(['enqueue', 'A.example', 'a.example', 'https://b.example/x', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ submitted: 3, distinct: 2, created: 2 });
    const again = await run(['enqueue', '--file', '-', '--json'], env, 'a.example\n# comment\n\nc.example\nbad_domain!\nlocalhost\n');
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ submitted: 4, distinct: 2, created: 1, invalid: ['bad_domain!', 'localhost'] });
    const status = await run(['status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ jobs: { wait: 3 }, candidates: 3, oldestWaiting: { domain: 'a.example' } });
  });

  it('enqueue interrupted (Ctrl-C) says what it queued and exits 130', async () => {
    const { PassThrough, Readable } = await import('node:stream');
    const { main } = await import('../../src/cli/main.js');
    const out = new PassThrough();
    let stdout = '';
    out.on('data', (c: Buffer) => (stdout += c.toString()));
    const interrupt = new AbortController();
    interrupt.abort();
    const code = await main(['enqueue', 'interrupted-one.example', 'interrupted-two.example'], { stdout: out, stderr: new PassThrough(), stdin: Readable.from(['']), env, interrupt: interrupt.signal });
    expect(code).toBe(130);
    expect(stdout).toMatch(/^interrupted; queued 0 new check jobs/m);
  });

  it('enqueue refuses what check refuses: other schemes, credentials (never echoed), IP literals, bad names', async () => {
    const r = await run(['enqueue', '--json', 'ftp://files.example', 'https://admin:hunter2@x.example/', '127.0.0.1', 'a..b', 'Mirror-Two.Example.'], env);
    expect(r.code).toBe(3);
    const outcome = JSON.parse(r.stdout) as { distinct: number; invalid: string[] };
    expect(outcome.distinct).toBe(1);
    expect(outcome.invalid).toEqual(['ftp://files.example', 'https://***@x.example/', '127.0.0.1', 'a..b']);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('config prints every setting with the password masked; a bad value exits 2 naming the variable', async () => {
    const shown = await run(['config', '--json'], { ...env, REDIS_URL: 'redis://:topsecret@127.0.0.1:6379' });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('topsecret');
    expect(JSON.parse(shown.stdout)).toMatchObject({ redisUrl: 'redis://:***@127.0.0.1:6379', keyPrefix: settings.keyPrefix });
    const bad = await run(['config'], { HOPWATCH_POLITENESS_DELAY_MS: '-5' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('HOPWATCH_POLITENESS_DELAY_MS');
  });

  it.each([['worker'], ['enqueue', 'a.example'], ['status']])('%s fails fast with STORE_REDIS_UNAVAILABLE naming the address when Redis is unreachable', async (...argv) => {
    const started = Date.now();
    const r = await run(argv, { REDIS_URL: 'redis://127.0.0.1:1', HOPWATCH_KEY_PREFIX: settings.keyPrefix });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('STORE_REDIS_UNAVAILABLE');
    expect(r.stderr).toContain('redis://127.0.0.1:1');
    expect(r.stderr).not.toMatch(/max retries/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // the start-up deadline is 5 s; never the minutes a waiting client would take
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('config --json prints numbers as numbers; an unknown HOPWATCH_ variable is warned about; --config FILE sets defaults the environment overrides', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'hopwatch-config-'));
    try {
      const file = join(dir, 'fleet.env');
      await writeFile(file, '# fleet\nHOPWATCH_WORKER_CONCURRENCY=16\nHOPWATCH_POLITENESS_DELAY_MS=500\n');
      const r = await run(['config', '--json', '--config', file], { ...env, HOPWATCH_POLITENESS_DELAY_MS: '750', HOPWATCH_CONCURENCY: '3' });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ workerConcurrency: 16, politenessDelayMs: 750, checkAttempts: 4 });
      expect(r.stderr).toContain('HOPWATCH_CONCURENCY is not a hopwatch setting');
      // the table says where each value came from: the file, the environment (which wins), a default
      const table = await run(['config', '--config', file], { ...env, HOPWATCH_POLITENESS_DELAY_MS: '750' });
      const sourceOf = (v: string) => table.stdout.split('\n').find((l) => l.includes(` ${v} `))?.trim().split(/\s+/).at(-1);
      expect(sourceOf('HOPWATCH_WORKER_CONCURRENCY')).toBe('file');
      expect(sourceOf('HOPWATCH_POLITENESS_DELAY_MS')).toBe('env');
      expect(sourceOf('HOPWATCH_CHECK_ATTEMPTS')).toBe('default');
      await writeFile(join(dir, 'bad.json'), '{"HOPWATCH_NOPE": 1}');
      const bad = await run(['config', '--config', join(dir, 'bad.json')], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('HOPWATCH_NOPE is not a setting');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('worker refuses bad flags before touching Redis', async () => {
    const result = await run(['worker', '--concurrency', '0'], env);
    expect(result.code).toBe(2);
  });
});
