/**
 * What a connection was, for the evidence package: the peer's address, the TLS protocol and
 * cipher negotiated, and the whole certificate chain the server sent, as PEM.
 *
 * Read in the crawler's own connect function (every hop has its own Client and its own
 * connection, see fetchHop.ts), so the connection recorded is exactly the one the request went
 * over: no correlation of sockets and requests across the process is needed. Only done when the
 * crawler is told to (`recordConnections`): walking the chain and encoding PEM costs a little on
 * every TLS connection, and only evidence needs it.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type DetailedPeerCertificate } from 'node:tls';

/** A server sends its leaf and a few intermediates; anything past this is not a real chain. */
const MAX_CHAIN_CERTIFICATES = 10;

export interface ConnectionTls {
  /** `TLSv1.3`, ... */
  protocol: string | null;
  /** as node:tls `getCipher()` reports it */
  cipher: { name: string; standardName: string; version: string } | null;
  /** ALPN result (`http/1.1`), false-y values as null */
  alpnProtocol: string | null;
  /** the SNI name sent */
  servername: string | null;
  authorized: boolean;
  authorizationError: string | null;
  /** the certificates the peer presented, leaf first, each as a PEM block */
  certificateChainPem: string[];
}

export interface ConnectionRecord {
  /** index of the hop of the fetch that used this connection (0 = the first request) */
  hop: number;
  /** the URL requested over it */
  url: string;
  /** ISO 8601 UTC when the connection (and TLS handshake) was up */
  connectedAt: string;
  remoteAddress: string | null;
  remotePort: number | null;
  /** null for plain http */
  tls: ConnectionTls | null;
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Leaf first; stops at a self-issued certificate (Node links a root to itself) or the cap. */
export function certificateChainPem(socket: TLSSocket): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && chain.length < MAX_CHAIN_CERTIFICATES) {
    const key = cert.fingerprint256;
    if (seen.has(key)) break;
    seen.add(key);
    chain.push(derToPem(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

function describeTls(socket: TLSSocket): ConnectionTls {
  const cipher = socket.getCipher();
  const servername = (socket as TLSSocket & { servername?: string | false }).servername;
  const authorizationError = socket.authorizationError as unknown as { code?: string } | string | null | undefined;
  return {
    protocol: socket.getProtocol(),
    cipher: cipher ? { name: cipher.name, standardName: cipher.standardName, version: cipher.version } : null,
    alpnProtocol: socket.alpnProtocol ? String(socket.alpnProtocol) : null,
    servername: servername ? String(servername) : null,
    authorized: socket.authorized,
    authorizationError: authorizationError ? String(typeof authorizationError === 'object' ? authorizationError.code ?? authorizationError : authorizationError) : null,
    certificateChainPem: certificateChainPem(socket),
  };
}

/** Describe a connected socket; `hop` is filled in by the crawler, which knows the hop's index. */
export function describeConnection(socket: Socket, url: string, at: number): Omit<ConnectionRecord, 'hop'> {
  return {
    url,
    connectedAt: new Date(at).toISOString(),
    remoteAddress: socket.remoteAddress ?? null,
    remotePort: socket.remotePort ?? null,
    tls: socket instanceof TLSSocket ? describeTls(socket) : null,
  };
}
