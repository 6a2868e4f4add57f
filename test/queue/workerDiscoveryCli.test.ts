import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReferenceSet } from '../../src/match/referenceSet.js';
import { runCli } from '../cli/cliHarness.js';
import { WORLD_HISTORY_TEXT } from '../world/discoveryHistory.js';
import { startDnsServer, type DnsServer } from '../world/dnsServer.js';
import { buildWorldReferenceSet } from '../world/worldReferences.js';
import { dropPrefix, testSettings } from './queueHarness.js';

const CLI = path.join(import.meta.dirname, 'cliProcess.ts');

/** `hopwatch worker` in its own process: the "worker started" log line, then SIGTERM. */
async function startedLine(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  try {
    return await new Promise((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const line = stderr.split('\n').find((l) => l.includes('"worker started"'));
        if (line) resolve(JSON.parse(line) as Record<string, unknown>);
      });
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting: ${stderr.slice(0, 2000)}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('hopwatch worker: discovery flags', () => {
  const settings = testSettings();
  // no re-checks: the reference set's domains are not to be resolved by anyone
  const env = { REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix, HOPWATCH_RECHECK_INTERVAL_MS: '0' };
  let dns: DnsServer;
  let dir: string;
  let history: string;
  let refs: string;
  beforeAll(async () => {
    // the worker's resolver (and so the discovery pre-check) asks a DNS server on loopback that knows no name
    dns = await startDnsServer({ records: {} });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-wdisc-'));
    history = path.join(dir, 'world.txt');
    refs = path.join(dir, 'refs.json');
    await writeFile(history, WORLD_HISTORY_TEXT);
    await writeReferenceSet(refs, buildWorldReferenceSet());
  });
  afterAll(async () => {
    await dns.close();
    await dropPrefix(settings);
    await rm(dir, { recursive: true, force: true });
  });

  it('--ct-stream must be a ws:// or wss:// URL (exit 2, naming the variable)', async () => {
    const r = await runCli(['worker', '--ct-stream', 'http://127.0.0.1:1/'], '', env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HOPWATCH_CT_STREAM_URL/);
  });

  it('an unreadable --known history is an input error naming the file', async () => {
    const r = await runCli(['worker', '--known', path.join(dir, 'missing.txt')], '', env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/DISCOVERY_HISTORY_UNREADABLE|missing\.txt/);
  });

  it('runs discovery by default, learning from --known, and not with --no-discovery', async () => {
    const dnsFlags = ['--dns-server', `${dns.host}:${dns.port}`];
    const on = await startedLine(['--refs', refs, '--known', history, ...dnsFlags], env);
    expect(on.discovery).toEqual({ schedule: { every: 30_000 }, historyLines: WORLD_HISTORY_TEXT.trim().split('\n').length });
    const off = await startedLine(['--refs', refs, '--known', history, '--no-discovery', ...dnsFlags], env);
    expect(off.discovery).toBe('off');
  });
});
