import { open } from 'node:fs/promises';
import { HopwatchError } from '../errors.js';

/**
 * Saved pages are read whole, so the size is checked before reading: a wrong path (a video, a
 * disk image) must get a clear error, not exhaust memory. Real pages are well under a few MiB.
 */
export const MAX_PAGE_FILE_BYTES = 16 * 1024 * 1024;

export async function readPageFile(path: string, maxBytes = MAX_PAGE_FILE_BYTES): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err));
    throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${path}: ${why}`, { cause: err });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${path}: is a directory`);
    if (!info.isFile()) throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${path}: not a regular file`);
    if (info.size > maxBytes) {
      throw new HopwatchError('INPUT_TOO_LARGE', `${path} is ${info.size} bytes; saved pages are limited to ${maxBytes} bytes`);
    }
    // read at most maxBytes + 1 even if the file grew since stat
    const buf = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) throw new HopwatchError('INPUT_TOO_LARGE', `${path} is larger than ${maxBytes} bytes`);
    return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
  } catch (err) {
    if (err instanceof HopwatchError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${path}: ${code === 'EISDIR' ? 'is a directory' : (code ?? String(err))}`, { cause: err });
  } finally {
    await handle.close();
  }
}

/**
 * Read a stream (stdin for `--html -`) to its end, refusing it the moment it passes `maxBytes`:
 * counted while reading, so an endless source (a device, a runaway pipe) never fills memory.
 */
export async function readBoundedStream(stream: AsyncIterable<string | Buffer>, name: string, maxBytes = MAX_PAGE_FILE_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buf.length;
      if (total > maxBytes) throw new HopwatchError('INPUT_TOO_LARGE', `${name} is larger than ${maxBytes} bytes`);
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof HopwatchError) throw err;
    throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const all = Buffer.concat(chunks, total);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}
