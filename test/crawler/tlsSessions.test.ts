import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawler, type CrawlerOptions } from '../../src/crawler/crawler.js';
import { createCertificateAuthority } from '../world/certificates.js';

describe('TLS session reuse', () => {
  let server: https.Server;
  let port = 0;
  let caPem = '';
  const handshakes: Array<{ servername: string; resumed: boolean }> = [];

  beforeAll(async () => {
    const ca = createCertificateAuthority();
    caPem = ca.certPem;
    const leaf = ca.issue({ commonName: 'one.test', altNames: ['one.test', 'two.test'] });
    server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
      if (req.url === '/hop') {
        res.writeHead(302, { location: '/page' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>ok</body></html>');
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      handshakes.push({ servername: String((socket as TLSSocket & { servername?: string }).servername ?? ''), resumed: socket.isSessionReused() });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const options = (extra: Partial<CrawlerOptions> = {}): CrawlerOptions => ({
    resolve: ['one.test', 'two.test'].map((host) => ({ host, port, addresses: ['127.0.0.1'] })),
    allowAddresses: [{ address: '127.0.0.1', port }],
    extraCaPem: [caPem],
    ...extra,
  });

  it('resumes the session on later connections to the same host, and still records the certificate', async () => {
    handshakes.length = 0;
    const crawler = createCrawler(options());
    try {
      const first = await crawler.fetch(`https://one.test:${port}/`);
      // a redirect within the host: two more connections, both resumed
      const second = await crawler.fetch(`https://one.test:${port}/hop`);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.redirects).toHaveLength(1);
      expect(second.tls).toMatchObject({ authorized: true, subjectAltNames: ['one.test', 'two.test'], sessionResumed: true });
      expect(first.tls?.sessionResumed).toBeUndefined();
      expect(second.tls?.fingerprint256).toBe(first.tls?.fingerprint256);
      expect(handshakes.map((h) => h.resumed)).toEqual([false, true, true]);
    } finally {
      await crawler.close();
    }
  });

  it('never offers one host\'s session to another name, and can be switched off', async () => {
    handshakes.length = 0;
    const crawler = createCrawler(options());
    const off = createCrawler(options({ tlsSessionReuse: false }));
    try {
      await crawler.fetch(`https://one.test:${port}/`);
      await crawler.fetch(`https://two.test:${port}/`);
      await off.fetch(`https://one.test:${port}/`);
      await off.fetch(`https://one.test:${port}/`);
      expect(handshakes.map((h) => h.resumed)).toEqual([false, false, false, false]);
    } finally {
      await crawler.close();
      await off.close();
    }
  });
});
