/**
 * Certificates for the test world, made at start with node-forge: a CA the crawler can be told to
 * trust (`--ca`), leaf certificates per host whose SANs list sibling mirror domains, an expired
 * one and a self-signed one. RSA keys come from node:crypto (native, fast); two keys serve the
 * whole world, which is fine for a world that lives for one test run.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends PemPair {
  issue(options: LeafOptions): PemPair;
}

export interface LeafOptions {
  commonName: string;
  altNames: string[];
  notBefore?: Date;
  notAfter?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function keyPair(): { privatePem: string; forgePrivate: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, forgePrivate: forge.pki.privateKeyFromPem(privatePem), forgePublic: forge.pki.publicKeyFromPem(publicPem) };
}

function serial(): string {
  // a first byte of 01: positive, and no leading 00 byte (DER rejects that padding)
  return `01${randomBytes(15).toString('hex')}`;
}

function altNameEntries(names: string[]): Array<{ type: number; value?: string; ip?: string }> {
  return names.map((name) => (/^[\d.]+$/.test(name) ? { type: 7, ip: name } : { type: 2, value: name }));
}

export function createCertificateAuthority(name = 'hopwatch test world CA'): CertificateAuthority {
  const caKeys = keyPair();
  const leafKeys = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = caKeys.forgePublic;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(Date.now() - DAY_MS);
  caCert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  const caSubject = [{ name: 'commonName', value: name }, { name: 'organizationName', value: 'hopwatch test world' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKeys.forgePrivate, forge.md.sha256.create());

  return {
    certPem: forge.pki.certificateToPem(caCert),
    keyPem: caKeys.privatePem,
    issue(options) {
      const cert = forge.pki.createCertificate();
      cert.publicKey = leafKeys.forgePublic;
      cert.serialNumber = serial();
      cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
      cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 90 * DAY_MS);
      cert.setSubject([{ name: 'commonName', value: options.commonName }]);
      cert.setIssuer(caSubject);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: altNameEntries(options.altNames) },
      ]);
      cert.sign(caKeys.forgePrivate, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert), keyPem: leafKeys.privatePem };
    },
  };
}

/** A certificate that signs itself: valid dates, right name, but no one vouches for it. */
export function createSelfSigned(commonName: string, altNames: string[]): PemPair {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY_MS);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'subjectAltName', altNames: altNameEntries(altNames) }]);
  cert.sign(keys.forgePrivate, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

export const EXPIRED_WINDOW = {
  notBefore: new Date(Date.now() - 400 * DAY_MS),
  notAfter: new Date(Date.now() - 35 * DAY_MS),
};
