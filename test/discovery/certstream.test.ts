import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { namesOfCertstreamMessage, startCertstream, type CertstreamClient } from '../../src/ctstream/certstreamClient.js';
import { runCli } from '../cli/cliHarness.js';
import { waitFor } from '../queue/queueHarness.js';
import { certificateUpdate, startCertstreamWorld, type CertstreamWorld } from '../world/certstream.js';
import { WORLD_HISTORY_TEXT } from '../world/discoveryHistory.js';

describe('certstream client', () => {
  let world: CertstreamWorld;
  let client: CertstreamClient | undefined;
  let dir: string;
  beforeAll(async () => {
    world = await startCertstreamWorld();
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-ct-'));
    await writeFile(path.join(dir, 'world.txt'), WORLD_HISTORY_TEXT);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the names of certstream-server-go messages and ignores heartbeats and other types', () => {
    expect(namesOfCertstreamMessage(certificateUpdate(['a.example.com', 'b.example.com']))).toEqual(['a.example.com', 'b.example.com']);
    expect(namesOfCertstreamMessage(JSON.stringify({ message_type: 'dns_entries', data: ['c.example.com', 7] }))).toEqual(['c.example.com']);
    expect(namesOfCertstreamMessage(JSON.stringify({ message_type: 'heartbeat', timestamp: 1 }))).toBeNull();
    expect(namesOfCertstreamMessage('not json')).toBeNull();
    expect(namesOfCertstreamMessage(JSON.stringify({ message_type: 'certificate_update', data: {} }))).toBeNull();
  });

  it('gets the names of each certificate and reconnects after the server drops it', async () => {
    const got: string[][] = [];
    client = startCertstream({ url: world.url, onNames: (n) => got.push(n), initialBackoffMs: 20, maxBackoffMs: 100 });
    await waitFor('a connection', async () => world.clients() === 1);
    world.heartbeat();
    world.emit(['one.example.com']);
    await waitFor('the first certificate', async () => got.length === 1);
    world.dropConnections();
    await waitFor('a reconnect', async () => world.connections() >= 2 && world.clients() === 1);
    world.emit(['two.example.com', 'www.two.example.com']);
    await waitFor('the second certificate', async () => got.length === 2);
    expect(got).toEqual([['one.example.com'], ['two.example.com', 'www.two.example.com']]);
    expect(client.stats()).toMatchObject({ certificates: 2, names: 3, ignored: 1 });
  });

  it('drops a connection whose pongs stop coming and opens a new one', async () => {
    // a server that never answers pings: to the client, a half-open connection
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
    await new Promise<void>((resolve) => silent.once('listening', () => resolve()));
    let connections = 0;
    silent.on('connection', () => connections++);
    try {
      client = startCertstream({ url: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/`, onNames: () => undefined, pingIntervalMs: 50, initialBackoffMs: 10, maxBackoffMs: 50 });
      await waitFor('a second connection', async () => connections >= 2, 10_000);
    } finally {
      await client?.close();
      client = undefined;
      for (const c of silent.clients) c.terminate();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('memory does not grow with the number of messages read', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    let names = 0;
    client = startCertstream({ url: world.url, onNames: (n) => (names += n.length) });
    await waitFor('a connection', async () => world.clients() === 1);
    const send = async (count: number) => {
      const target = names + count * 3;
      for (let i = 0; i < count; i++) world.emit([`c${i}.example.com`, `www.c${i}.example.com`, `c${i}.example.net`]);
      await waitFor('the messages', async () => names >= target, 20_000, 10);
    };
    await send(2000);
    gc();
    const before = process.memoryUsage().heapUsed;
    await send(20_000);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(client.stats().certificates).toBe(22_000);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });

  it('`discover ct --stream` prints the names that carry a brand or a proxy base, then stops after --max-certificates', async () => {
    const run = runCli(['discover', 'ct', '--stream', world.url, '--known', path.join(dir, 'world.txt'), '--json', '--max-certificates', '3']);
    await waitFor('the CLI to connect', async () => world.clients() === 1);
    world.emit(['bakery.example.com']);
    world.emit(['harbortorrentsfree.info', 'www.harbortorrentsfree.info', 'harbortorrents.org']);
    world.emit(['harbortorrents.unblockharbor.rest', '169.254.169.254']);
    const { code, stdout } = await run;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { domain: string; site: string; source: string });
    expect(lines.map((l) => l.domain).sort()).toEqual(['harbortorrents.unblockharbor.rest', 'harbortorrentsfree.info']);
    expect(lines.every((l) => l.source === 'ct' && l.site === 'harbor')).toBe(true);
  });

  it('`discover ct --stream` refuses a URL that is not ws:// or wss://', async () => {
    const { code, stderr } = await runCli(['discover', 'ct', '--stream', 'http://127.0.0.1:1/', '--known', path.join(dir, 'world.txt')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/ws:\/\//);
  });
});
