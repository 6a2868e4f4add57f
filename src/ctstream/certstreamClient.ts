/**
 * A reader of a certstream-compatible websocket (the message format of certstream-server-go:
 * `{"message_type":"certificate_update","data":{"leaf_cert":{"all_domains":[...]}}}`, plus its
 * `dns_entries` form and `heartbeat`s) that stays up for months:
 *
 * - reconnects after any close or error, with exponential backoff and jitter (reset once a
 *   connection has lived a while), so a restarting server is not hammered;
 * - sends a ping every `pingIntervalMs` and drops a connection whose pong does not come back
 *   within the next interval (a half-open TCP connection otherwise looks alive forever);
 * - keeps nothing per message: each message is parsed, its names handed on, and forgotten; a
 *   message above `maxMessageBytes` is refused by `ws` itself (the connection is closed and
 *   reopened), so memory does not grow with the length of the run.
 */
import WebSocket from 'ws';
import { HopwatchError } from '../errors.js';
import { MAX_NAMES_PER_LINE } from '../discovery/ctNames.js';

export interface CertstreamOptions {
  url: string;
  /** the names of one certificate (or one dns_entries batch) */
  onNames(names: string[]): void;
  /** connection changes, for logs */
  onState?(event: CertstreamState): void;
  /** keep-alive ping period; a missing pong by the next ping drops the connection. Default 15 s */
  pingIntervalMs?: number;
  /** first reconnect delay, doubled per failed attempt up to `maxBackoffMs`. Default 500 ms */
  initialBackoffMs?: number;
  /** default 60 s */
  maxBackoffMs?: number;
  /** largest message accepted. Default 1 MiB (one certificate's JSON is a few KB) */
  maxMessageBytes?: number;
  /** a connection that lived this long resets the backoff. Default 30 s */
  stableAfterMs?: number;
}

export type CertstreamState =
  | { state: 'open'; url: string }
  | { state: 'closed'; code: number; reason: string; retryInMs: number }
  | { state: 'error'; error: string };

export interface CertstreamStats {
  messages: number;
  certificates: number;
  names: number;
  /** messages that were not JSON or not a known message type */
  ignored: number;
  connects: number;
}

export interface CertstreamClient {
  stats(): CertstreamStats;
  /** stop for good: closes the socket, cancels reconnects and pings */
  close(): Promise<void>;
}

/** The names a certstream message carries, or null for a message that carries none (heartbeat, other types). */
export function namesOfCertstreamMessage(text: string): string[] | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const record = message as { message_type?: unknown; data?: unknown };
  if (record.message_type === 'dns_entries' && Array.isArray(record.data)) {
    return record.data.filter((n): n is string => typeof n === 'string').slice(0, MAX_NAMES_PER_LINE);
  }
  if (record.message_type !== 'certificate_update') return null;
  const leaf = (record.data as { leaf_cert?: { all_domains?: unknown } } | undefined)?.leaf_cert;
  const names = leaf?.all_domains;
  if (!Array.isArray(names)) return null;
  return names.filter((n): n is string => typeof n === 'string').slice(0, MAX_NAMES_PER_LINE);
}

export function validateStreamUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HopwatchError('DISCOVERY_CT_STREAM_URL', `"${url.slice(0, 200)}" is not a ws:// or wss:// URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new HopwatchError('DISCOVERY_CT_STREAM_URL', `"${url.slice(0, 200)}" is not a ws:// or wss:// URL`);
  return parsed;
}

export function startCertstream(options: CertstreamOptions): CertstreamClient {
  const url = validateStreamUrl(options.url).href;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const stableAfterMs = options.stableAfterMs ?? 30_000;
  const stats: CertstreamStats = { messages: 0, certificates: 0, names: 0, ignored: 0, connects: 0 };
  let socket: WebSocket | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let stopped = false;
  let closedSignal: (() => void) | undefined;

  const state = (event: CertstreamState): void => options.onState?.(event);

  const connect = (): void => {
    if (stopped) return;
    const ws = new WebSocket(url, { maxPayload: options.maxMessageBytes ?? 1024 * 1024, handshakeTimeout: 10_000 });
    socket = ws;
    let openedAt = 0;
    let alive = true;
    ws.on('open', () => {
      openedAt = Date.now();
      stats.connects++;
      state({ state: 'open', url });
      pingTimer = setInterval(() => {
        // no pong since the last ping: the connection is dead even if TCP has not noticed
        if (!alive) {
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, pingIntervalMs);
      pingTimer.unref();
    });
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('message', (data, isBinary) => {
      stats.messages++;
      alive = true;
      const names = isBinary ? null : namesOfCertstreamMessage(data.toString());
      if (names === null) {
        stats.ignored++;
        return;
      }
      stats.certificates++;
      stats.names += names.length;
      if (names.length > 0) options.onNames(names);
    });
    ws.on('error', (err) => state({ state: 'error', error: err.message }));
    ws.on('close', (code, reason) => {
      clearInterval(pingTimer);
      pingTimer = undefined;
      socket = undefined;
      if (stopped) {
        closedSignal?.();
        return;
      }
      if (openedAt > 0 && Date.now() - openedAt >= stableAfterMs) attempt = 0;
      const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(attempt, 30));
      const retryInMs = Math.round(base / 2 + Math.random() * (base / 2));
      attempt++;
      state({ state: 'closed', code, reason: reason.toString().slice(0, 200), retryInMs });
      reconnectTimer = setTimeout(connect, retryInMs);
    });
  };
  connect();

  return {
    stats: () => ({ ...stats }),
    close() {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearInterval(pingTimer);
      const ws = socket;
      if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closedSignal = resolve;
        const force = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2000);
        force.unref();
        ws.once('close', () => clearTimeout(force));
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, 'client closing');
      });
    },
  };
}
