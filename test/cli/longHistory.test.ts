import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistories } from '../../src/cli/commands/candidates.js';

describe('a long domain history', () => {
  let dir: string;
  let file: string;
  const LINES = 200_000;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-long-history-'));
    file = path.join(dir, 'site.txt');
    // past 125,000 entries `push(...entries)` overflowed the call stack
    const lines: string[] = [];
    for (let i = 0; i < LINES; i++) lines.push(`2020-01-${String((i % 28) + 1).padStart(2, '0')} s${i}.example.org`);
    await writeFile(file, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is read whole, one entry per line, without overflowing the stack', async () => {
    const entries = await readHistories([file, file]);
    expect(entries).toHaveLength(2 * LINES);
    expect(entries[LINES - 1]!.domain).toBe(`s${LINES - 1}.example.org`);
  });
});
