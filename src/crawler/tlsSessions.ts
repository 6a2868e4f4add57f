import type { TlsDetails } from './types.js';

/**
 * TLS sessions kept per crawler, so that the next connection to the same host name and port
 * (the home page's redirect hop, the reference-path probes after it) can resume instead of
 * doing a full handshake: one round trip and the server's signature saved per connection.
 *
 * Nothing about the SSRF guard changes: every connection still resolves and checks its
 * addresses before a packet is sent; a session only shortens the handshake with a server the
 * guard let us reach. A session is offered only under the key it was issued for (SNI name,
 * the address after connect-to rules, port), so it never goes to another host; the server
 * accepts it only if it holds the keys that issued it. A resumed connection shows no peer
 * certificate (the session does not carry the chain), so the details of the full handshake
 * that issued the session are kept with it and recorded for the resumed one, marked
 * `sessionResumed`: the server proved it holds that handshake's keys. Bounded: the oldest
 * entries make room (a session is ~2 KB).
 */
export interface CachedSession {
  session: Buffer;
  /** what the full handshake showed: certificate, authorisation */
  details: TlsDetails;
}

export class TlsSessionCache {
  private readonly sessions = new Map<string, CachedSession>();

  constructor(private readonly maxEntries = 256) {}

  static key(servername: string, connectHost: string, port: number): string {
    return `${servername}\u0000${connectHost}\u0000${port}`;
  }

  get(key: string): CachedSession | undefined {
    const session = this.sessions.get(key);
    if (session !== undefined) {
      // most recently used last, so the oldest is evicted first
      this.sessions.delete(key);
      this.sessions.set(key, session);
    }
    return session;
  }

  set(key: string, session: Buffer, details: TlsDetails): void {
    this.sessions.delete(key);
    this.sessions.set(key, { session, details });
    while (this.sessions.size > this.maxEntries) this.sessions.delete(this.sessions.keys().next().value!);
  }

  get size(): number {
    return this.sessions.size;
  }
}
