import { describe, expect, it } from 'vitest';
import { bindsEveryInterface } from '../../src/queue/checkWorker.js';
import { runCli } from '../cli/cliHarness.js';
import { testSettings } from './queueHarness.js';

describe('smaller fleet defects', () => {
  it('--metrics-port 0 means off, as documented: accepted (the next bad flag is what stops it); a negative port is refused', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:1', HOPWATCH_KEY_PREFIX: testSettings().keyPrefix };
    const off = await runCli(['worker', '--metrics-port', '0', '--dns-server', 'not-an-address'], '', env);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('--dns-server');
    expect(off.stderr).not.toContain('--metrics-port must');
    const negative = await runCli(['worker', '--metrics-port', '-1'], '', env);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--metrics-port');
  });

  it('metrics bound to every interface are recognised (the worker warns), loopback and names are not', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', ' 0.0.0.0 ']) expect(bindsEveryInterface(host)).toBe(true);
    for (const host of ['127.0.0.1', '::1', 'localhost', '10.0.0.5', 'metrics.internal']) expect(bindsEveryInterface(host)).toBe(false);
  });
});
