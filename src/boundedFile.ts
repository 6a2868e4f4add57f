/**
 * Read a whole file with a byte limit counted while reading, not only by `stat`: a device
 * (`/dev/zero`), a FIFO or a file still growing has no honest size, and `readFile` on one grows
 * until the process runs out of memory or V8's string limit (`RangeError: Invalid string
 * length`). Every whole-file reader of input (reference sets, histories, CA files) goes through
 * here; line-by-line readers bound their lines instead (src/check/scanDomains.ts readTargets).
 */
import { createReadStream } from 'node:fs';
import { HopwatchError } from './errors.js';

export interface BoundedReadErrors {
  /** code for a file that cannot be opened or read */
  unreadable: string;
  /** code for a file over the limit */
  tooLarge: string;
  /** for text formats (JSON, lists): code for a file holding a NUL byte, refused at once */
  notText?: string;
}

export async function readBoundedFile(path: string, maxBytes: number, codes: BoundedReadErrors, what = path): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (codes.notText && chunk.includes(0)) throw new HopwatchError(codes.notText, `${what} is not a text file (it holds binary bytes)`);
      total += chunk.length;
      if (total > maxBytes) throw new HopwatchError(codes.tooLarge, `${what} is larger than ${maxBytes} bytes (read stopped there)`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HopwatchError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    throw new HopwatchError(codes.unreadable, `cannot read ${what}: ${why}`, { cause: err });
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}
