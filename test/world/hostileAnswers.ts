/**
 * Answers a hostile or broken server gives: each one is what the crawler must survive within a
 * bound. Every timer and loop stops when the client goes away, so the world never leaks work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';

/** A byte every `intervalMs`, forever: only an overall deadline stops it. */
export function slowDrip(_req: IncomingMessage, res: ServerResponse, intervalMs = 200): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write('<!DOCTYPE html><html><body>');
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write('.');
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** Bytes as fast as the client reads them, never ending: only a size limit stops it. */
export function endlessBody(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  const chunk = Buffer.alloc(64 * 1024, '<p>more</p>\n');
  let stopped = false;
  res.on('close', () => {
    stopped = true;
  });
  const pump = (): void => {
    while (!stopped && !res.destroyed) {
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** gzip of `decodedBytes` zeros: about a thousandth of the size on the wire. */
export async function makeGzipBomb(decodedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < decodedBytes; written += block.length) {
    if (!gzip.write(block)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

export function decompressionBomb(res: ServerResponse, bomb: Buffer): void {
  res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': bomb.length });
  res.end(bomb);
}

/** A header block far above any sane limit. */
export function oversizedHeaders(res: ServerResponse, bytes = 256 * 1024): void {
  res.setHeader('x-filler', 'a'.repeat(bytes));
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html><body>you should not see this</body></html>');
}

/** TCP RST before any response byte. */
export function resetConnection(req: IncomingMessage): void {
  req.socket.resetAndDestroy();
}

/** Not HTTP at all. */
export function garbageResponse(req: IncomingMessage): void {
  req.socket.end('SSH-2.0-OpenSSH_9.6 this is not http\r\n\r\n');
}

/** Deterministic pseudo-random bytes (xorshift) labelled as HTML. */
export function binaryAsHtml(res: ServerResponse, bytes = 64 * 1024): void {
  const body = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    body[i] = x & 0xff;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}

/** 200,000 nested elements: a parser or a recursive walk that is not careful falls over. */
export function deeplyNested(res: ServerResponse, depth = 200_000): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html><head><title>deep</title></head><body>${'<div>'.repeat(depth)}bottom${'</div>'.repeat(depth)}</body></html>`);
}
