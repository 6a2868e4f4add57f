/**
 * Capabilities for the sandboxed page view. An iframe cannot send the bearer header, so a match
 * detail (fetched with the header) carries `/view/<sha256>?t=<expiry>.<mac>`: an HMAC-SHA256 over
 * the hash and the expiry, keyed by a random key made when the process starts. It opens one
 * saved page until it expires, and nothing else; a restart invalidates every one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class ViewTokens {
  private readonly key = randomBytes(32);

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  private mac(sha256: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`view:${sha256}:${expires}`).digest();
  }

  mint(sha256: string): string {
    const expires = this.clock() + this.ttlMs;
    return `${expires}.${this.mac(sha256, expires).toString('base64url')}`;
  }

  verify(sha256: string, token: string | undefined): boolean {
    if (!token) return false;
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return false;
    const expires = Number(m[1]);
    if (expires < this.clock()) return false;
    const given = Buffer.from(m[2]!, 'base64url');
    const expected = this.mac(sha256, expires);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  url(sha256: string): string {
    return `/view/${sha256}?t=${this.mint(sha256)}`;
  }
}
