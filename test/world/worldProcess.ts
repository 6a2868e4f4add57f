/**
 * The test world in a child process of its own, so a benchmark of the scanner measures the
 * scanner: serving, TLS on the server side and compression are then another process's CPU
 * (reported separately), not the scanner's. `startWorldProcess()` forks this file; the child
 * starts the world, sends its addresses, and answers `traffic` and `close` over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWorld, type WorldAddresses, type WorldTraffic } from './world.js';

export interface WorldProcessTraffic extends WorldTraffic {
  /** CPU the world's process used so far (user + system), microseconds */
  cpuMicros: number;
}

export interface WorldProcess {
  addresses: WorldAddresses;
  pid: number;
  traffic(): Promise<WorldProcessTraffic>;
  close(): Promise<void>;
}

type FromChild = { type: 'ready'; addresses: WorldAddresses } | { type: 'traffic'; traffic: WorldProcessTraffic };

export async function startWorldProcess(options: { gzipBombBytes?: number } = {}): Promise<WorldProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--world-child', String(options.gzipBombBytes ?? 1024 * 1024)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = <T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: FromChild): void => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as Extract<FromChild, { type: T }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`world process exited (${code}) before "${type}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { addresses } = await next('ready');
  return {
    addresses,
    pid: child.pid!,
    async traffic() {
      const reply = next('traffic');
      child.send({ type: 'traffic' });
      return (await reply).traffic;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

if (process.argv[2] === '--world-child') {
  const world = await startWorld({ gzipBombBytes: Number(process.argv[3]) });
  const cpu0 = process.cpuUsage();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'traffic') {
      const cpu = process.cpuUsage(cpu0);
      process.send!({ type: 'traffic', traffic: { ...world.traffic(), cpuMicros: cpu.user + cpu.system } });
    } else if (m.type === 'close') {
      void world.close().then(() => process.exit(0));
    }
  });
  // a parent that dies without saying close must not leave the world running
  process.on('disconnect', () => void world.close().then(() => process.exit(0)));
  process.send!({ type: 'ready', addresses: world.addresses() });
}
