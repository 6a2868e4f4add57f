/** What a TLS peer certificate says, read from the socket right after the handshake. */
import type { TLSSocket, PeerCertificate } from 'node:tls';
import type { TlsDetails } from './types.js';

const MAX_SANS = 500;

function distinguishedName(dn: PeerCertificate['subject'] | undefined): string {
  if (!dn) return '';
  // Node types these as strings, but a repeated attribute arrives as an array
  return Object.entries(dn as unknown as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function isoDate(text: string | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `DNS:a.example, IP Address:1.2.3.4` → `['a.example', '1.2.3.4']` */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, '').trim().toLowerCase())
    .filter((name) => name.length > 0)
    .slice(0, MAX_SANS);
}

export function readTlsDetails(socket: TLSSocket): TlsDetails | null {
  const cert = socket.getPeerCertificate(false);
  if (!cert || Object.keys(cert).length === 0) return null;
  const authorizationError = socket.authorizationError;
  return {
    authorized: socket.authorized,
    authorizationError: authorizationError ? String((authorizationError as { code?: string }).code ?? authorizationError) : null,
    subject: distinguishedName(cert.subject),
    subjectAltNames: parseSubjectAltNames(cert.subjectaltname),
    issuer: distinguishedName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    protocol: socket.getProtocol(),
  };
}
