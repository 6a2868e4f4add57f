/**
 * Answers a hostile or broken server gives: each one is what the crawler must survive within a
 * bound. Every timer and loop stops when the client goes away, so the world never leaks work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { STALL_MARKER } from '../check/stallMarker.js';

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

/**
 * An ordinary large page (about 1.75 MB of varied text, so it stays large on the wire) for the
 * compressed-answer-then-close regression: undici 7 crashed on it when its parser was paused.
 */
export function largeVariedPage(bytes = 1_750_000): Buffer {
  const words = ['torrent', 'download', 'movie', 'series', 'episode', 'season', 'magnet', 'seed', 'peer', 'quality', 'release', 'subtitle'];
  const parts: string[] = ['<!DOCTYPE html><html><head><title>large page</title></head><body>'];
  let size = parts[0]!.length;
  let x = 0x2545f491;
  for (let row = 0; size < bytes - 32; row++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const line = `<p id="r${row}">${words[(x >>> 0) % words.length]} ${(x >>> 0).toString(36)} ${words[(x >>> 8) % words.length]}</p>\n`;
    parts.push(line);
    size += line.length;
  }
  parts.push('</body></html>');
  return Buffer.from(parts.join(''));
}

/**
 * A compressed body followed by the server closing the connection (`Connection: close`); with
 * `framing: 'eof'` no Content-Length either, so only the close ends the body.
 */
export function compressedThenClose(res: ServerResponse, encoded: Buffer, coding: string, framing: 'length' | 'eof'): void {
  const headers: Record<string, string | number> = { 'content-type': 'text/html; charset=utf-8', 'content-encoding': coding, connection: 'close' };
  if (framing === 'length') headers['content-length'] = encoded.length;
  res.writeHead(200, headers);
  // in several writes, as a real server streams it
  for (let at = 0; at < encoded.length; at += 64 * 1024) res.write(encoded.subarray(at, at + 64 * 1024));
  res.end();
}

/** A body in a coding nobody decodes here (`zstd`), or stacked deeper than any real server does. */
export function unsupportedCoding(res: ServerResponse, coding: string): void {
  const body = Buffer.from('<html><body>unreadable</body></html>');
  res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': coding, 'content-length': body.length });
  res.end(body);
}

/** A body shorter than its Content-Length, then the connection closes: the same answer comes on every retry. */
export function shortContentLength(req: IncomingMessage): void {
  req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 5000\r\nconnection: close\r\n\r\n<html><body>only part of it');
}

/**
 * Ordinary markup, about `bytes` long once decoded: linear to fingerprint but seconds of CPU at
 * several MiB, so a short fingerprint deadline cuts it off (the stand-in for any page that hangs
 * the parser). Served gzip-compressed, so it stays under the wire limit.
 */
export function heavyMarkup(bytes: number): Buffer {
  // STALL_MARKER: a fleet test's stalling thread never finishes this page (a real pool just judges it)
  const rows: string[] = [`<!DOCTYPE html><html><head><title>heavy</title></head><body>${STALL_MARKER}`];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const row = `<div class="r${i % 7}" data-k="${i}"><a href="/t/${i}">t ${i}</a><span>${i}</span></div>`;
    rows.push(row);
    size += row.length;
  }
  rows.push('</body></html>');
  return Buffer.from(rows.join(''));
}

/**
 * `hN.<zone>` redirects to `h(N+1).<zone>`, eight hops at a time, then serves a page: every check
 * of one of these hosts offers eight new attacker-chosen hosts as candidates.
 */
export function sprayRedirect(req: IncomingMessage, res: ServerResponse): void {
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const m = /^h(\d+)\.(.+)$/.exec(host);
  const n = m ? Number(m[1]) : 0;
  const zone = m ? m[2]! : host;
  if (n % 8 !== 7) {
    res.writeHead(302, { location: `http://h${n + 1}.${zone}/`, 'content-type': 'text/html' });
    res.end('moved');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html><head><title>spray ${n}</title></head><body><p>nothing here ${n}</p></body></html>`);
}
