/**
 * bin/hopwatch.js's last resort: an exception or rejection that escapes every handler ends the
 * process at once with exit code 70 and one JSON line on stderr (never a stack trace, never a
 * hang). The escape is injected with `--import` into the real binary, which is otherwise busy
 * reading a stdin that never ends.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/hopwatch.js', import.meta.url));

function runWithEscape(escape: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,setTimeout(() => { ${escape} }, 100)`, BIN, 'fingerprint', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
    // stdin stays open: without the escape the command would wait for more input
  });
}

describe('the binary\'s last resort', () => {
  it.each([
    ['uncaughtException', 'throw new Error("escaped the handlers")'],
    ['unhandledRejection', 'Promise.reject(new Error("escaped the handlers"))'],
  ])('%s: exit 70 and one JSON line on stderr', async (event, escape) => {
    const { code, stderr } = await runWithEscape(escape);
    expect(code).toBe(70);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'fatal', msg: event, error: 'escaped the handlers' });
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
