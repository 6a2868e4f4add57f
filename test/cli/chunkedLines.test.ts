import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkedLines } from '../../src/cli/chunkedLines.js';

describe('chunked line output', () => {
  it('writes every line in order, a chunk per write, and waits when the stream is full', async () => {
    const writes: string[] = [];
    // a slow stream with a small buffer: write() soon returns false and 'drain' must be awaited
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _enc, done) {
        writes.push(chunk.toString());
        setTimeout(done, 1);
      },
    });
    const out = new ChunkedLines(slow, 1000);
    const lines = Array.from({ length: 2000 }, (_, i) => `line-${i}.example`);
    for (const line of lines) if (out.push(line)) await out.flush();
    await out.flush();
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(writes.join('')).toBe(`${lines.join('\n')}\n`);
    // about 37,000 characters in chunks of about 1,000: dozens of writes, not 2,000
    expect(writes.length).toBeLessThan(60);
    expect(writes.length).toBeGreaterThan(30);
  });

  it('writes nothing for no lines', async () => {
    const writes: string[] = [];
    const out = new ChunkedLines(new Writable({ write: (c: Buffer, _e, done) => (writes.push(c.toString()), done()) }));
    await out.flush();
    expect(writes).toEqual([]);
  });
});
