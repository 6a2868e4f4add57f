/**
 * A certstream-compatible websocket server on loopback for the test world: it sends certificates
 * when a test or benchmark asks (`emit`), in the message format of certstream-server-go, plus
 * heartbeats, and can drop every connection (`dropConnections`) to exercise reconnects.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

export interface CertstreamWorld {
  url: string;
  /** one certificate_update message carrying these names, to every connected client */
  emit(names: string[], extra?: { issuer?: string }): number;
  heartbeat(): void;
  /** clients connected now */
  clients(): number;
  /** connections accepted since start */
  connections(): number;
  /** cut every connection (a server restart, from the clients' side) */
  dropConnections(): void;
  close(): Promise<void>;
}

let serial = 0;

export function certificateUpdate(names: string[], issuer = 'hopwatch test world CA'): string {
  serial++;
  const now = Date.now() / 1000;
  return JSON.stringify({
    message_type: 'certificate_update',
    data: {
      update_type: 'X509LogEntry',
      leaf_cert: {
        subject: { CN: names[0] ?? '', aggregated: `/CN=${names[0] ?? ''}` },
        issuer: { O: issuer, aggregated: `/O=${issuer}` },
        all_domains: names,
        not_before: Math.floor(now - 60),
        not_after: Math.floor(now + 90 * 86_400),
        serial_number: serial.toString(16).padStart(16, '0'),
      },
      cert_index: serial,
      seen: now,
      source: { name: 'hopwatch test world log', url: 'ct.world.test/log' },
    },
  });
}

export async function startCertstreamWorld(): Promise<CertstreamWorld> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  const { port } = server.address() as AddressInfo;
  const broadcast = (text: string): number => {
    let sent = 0;
    for (const client of server.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(text);
        sent++;
      }
    }
    return sent;
  };
  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}/`,
    emit: (names, extra = {}) => broadcast(certificateUpdate(names, extra.issuer)),
    heartbeat: () => void broadcast(JSON.stringify({ message_type: 'heartbeat', timestamp: Date.now() / 1000 })),
    clients: () => [...server.clients].filter((c) => c.readyState === WebSocket.OPEN).length,
    connections: () => connections,
    dropConnections() {
      for (const client of server.clients) client.terminate();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
