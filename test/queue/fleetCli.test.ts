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

  it('worker refuses bad flags before touching Redis', async () => {
    const result = await run(['worker', '--concurrency', '0'], env);
    expect(result.code).toBe(2);
  });
});
