/**
 * Inputs that are not regular files (a device that never ends, a FIFO): every reader is bounded
 * while it reads, so each of these ends at once with a clear error code, exit 3 (or 2 for a
 * flag's file), never a RangeError, a stack trace or gigabytes of memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliHarness.js';

const ZERO = '/dev/zero';

describe('non-regular files as input', () => {
  let dir: string;
  let history: string;
  let page: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-devzero-'));
    history = path.join(dir, 'history.txt');
    await writeFile(history, '2020-01-01 harbor.example harbor\n2021-01-01 harbor2.example harbor\n');
    page = path.join(dir, 'page.html');
    await writeFile(page, '<html><head><title>x</title></head><body><p>hello there</p></body></html>');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [['discover', 'ct', ZERO, '--known', '__HISTORY__'], 'INPUT_NOT_TEXT', 3],
    [['candidates', '--known', ZERO], 'DISCOVERY_HISTORY_UNREADABLE', 3],
    [['check', '--refs', ZERO, '--html', '__PAGE__'], 'REFS_INVALID', 3],
    [['check', '--html', ZERO], 'INPUT_UNREADABLE', 3],
    [['scan', ZERO], 'INPUT_NOT_TEXT', 3],
    [['check', '-l', ZERO], 'INPUT_NOT_TEXT', 3],
    [['fingerprint', ZERO], 'INPUT_UNREADABLE', 3],
    [['check', '--ca', ZERO, 'example.test'], '--ca', 2],
  ])('%j ends with %s, exit %i, no stack trace', async (argv, code, exit) => {
    const args = argv.map((a) => a.replace('__HISTORY__', history).replace('__PAGE__', page));
    const r = await runCli(args);
    expect(r.stderr).toContain(code);
    expect(r.code).toBe(exit);
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError/);
  });
});
