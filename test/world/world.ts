/**
 * The test world: HTTP and HTTPS virtual hosts and a DNS server, all on 127.0.0.1, serving the
 * hosts of worldHosts.ts. Tests, benchmarks and `npm run world` start it with `startWorld()`.
 *
 * Every name resolves (through the world's DNS server) to 127.0.0.1; ports 80 / 443 of `*.test`
 * names are mapped onto the world's real ports with curl-style connect-to rules, and the crawler
 * is allowed exactly those address:port pairs. Redirects to 127.0.0.1 on any other port, to
 * 169.254.169.254, or to names resolving to other private addresses stay blocked, so the SSRF
 * guard is exercised by every test that uses the world.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { CrawlerOptions } from '../../src/crawler/crawler.js';
import { dnsServerResolver, type ConnectToRule } from '../../src/crawler/hostResolution.js';
import { EXPIRED_WINDOW, createCertificateAuthority, createSelfSigned, type PemPair } from './certificates.js';
import { freePort } from '../support/freePort.js';
import { startDnsServer, type DnsServer } from './dnsServer.js';
import { makeGzipBomb } from './hostileAnswers.js';
import { familyPages, type WorldPages } from './sitePages.js';
import { WORLD_HOSTS, findHost, type WorldContext, type WorldHost } from './worldHosts.js';

export const WORLD_ADDRESS = '127.0.0.1';

export interface WorldOptions {
  pages?: WorldPages;
  /** decompressed size of the gzip bomb; default 128 MiB (about 130 KB on the wire) */
  gzipBombBytes?: number;
  /**
   * TLDs (besides `test` and those of the hosts) whose names connect to the world's ports, so
   * hosts added later with `addHost` under them are reachable (connect-to rules are fixed when a
   * crawler is made)
   */
  connectZones?: readonly string[];
  /** leave out the hosts only discovery finds (DISCOVERY_HOSTS): a benchmark brings up its own */
  withoutDiscoveryHosts?: boolean;
}

export interface World {
  hosts: readonly WorldHost[];
  dns: DnsServer;
  httpPort: number;
  httpsPort: number;
  /** loopback service that must never be reached without --allow-private */
  internalPort: number;
  /** a port nothing listens on (`refused.test` connects there) */
  closedPort: number;
  caPem: string;
  caFile: string;
  /** requests that reached the internal service (tests assert 0) */
  internalHits(): number;
  /** crawler options that reach the world and nothing else */
  crawlerOptions(extra?: Partial<CrawlerOptions>): CrawlerOptions;
  /** what a client in another process needs to reach the world (see `worldCrawlerOptions`) */
  addresses(): WorldAddresses;
  /** requests, TCP connections and TLS handshakes served so far */
  traffic(): WorldTraffic;
  /** the same, as `hopwatch check` flags */
  cliFlags(): string[];
  /**
   * a host that goes live now (DNS answers, its certificate and pages are served); its TLD must
   * be `test`, a TLD of a host given at start, or in `connectZones`
   */
  addHost(host: WorldHost): void;
  close(): Promise<void>;
}

/** The world's listeners and CA, as plain data: enough to build crawler options anywhere. */
export interface WorldAddresses {
  httpPort: number;
  httpsPort: number;
  closedPort: number;
  dnsHost: string;
  dnsPort: number;
  caPem: string;
  /** TLDs besides `test` whose names reach the world (connect-to rules per zone) */
  zones: string[];
}

export interface WorldTraffic {
  requests: number;
  /** TCP connections accepted, http and https */
  connections: number;
  /** TLS handshakes completed, and how many of them resumed a session */
  tlsHandshakes: number;
  tlsResumed: number;
}

/** Crawler options that reach the world at these addresses and nothing else. */
export function worldCrawlerOptions(a: WorldAddresses, extra: Partial<CrawlerOptions> = {}): CrawlerOptions {
  const connectTo: ConnectToRule[] = [
    { fromHost: 'refused.test', fromPort: null, toHost: null, toPort: a.closedPort },
    ...['test', ...a.zones].flatMap((zone) => [
      { fromHost: `*.${zone}`, fromPort: 443, toHost: null, toPort: a.httpsPort },
      { fromHost: `*.${zone}`, fromPort: 80, toHost: null, toPort: a.httpPort },
    ]),
  ];
  return {
    resolver: dnsServerResolver([`${a.dnsHost}:${a.dnsPort}`], { timeoutMs: 1000, tries: 1 }),
    connectTo,
    allowAddresses: [a.httpPort, a.httpsPort, a.closedPort].map((port) => ({ address: WORLD_ADDRESS, port })),
    extraCaPem: [a.caPem],
    ...extra,
  };
}

async function listen(server: http.Server | https.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, WORLD_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}


function requestHost(req: http.IncomingMessage): string {
  return String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const pages = options.pages ?? familyPages;
  const hosts: WorldHost[] = WORLD_HOSTS.filter((h) => !(options.withoutDiscoveryHosts && h.discovery));
  const ca = createCertificateAuthority();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-world-'));
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, ca.certPem);

  const contexts = new Map<string, tls.SecureContext>();
  const contextFor = (pair: PemPair): tls.SecureContext => tls.createSecureContext({ cert: pair.certPem, key: pair.keyPem });
  const issueFor = (host: WorldHost): void => {
    if (host.serve !== 'both' && host.serve !== 'https') return;
    const altNames = [host.name, ...(host.certificateAltNames ?? [])];
    const pair =
      host.certificate === 'self-signed'
        ? createSelfSigned(host.name, altNames)
        : ca.issue({ commonName: host.name, altNames, ...(host.certificate === 'expired' ? EXPIRED_WINDOW : {}) });
    contexts.set(host.name, contextFor(pair));
  };
  for (const host of hosts) issueFor(host);
  const defaultPair = ca.issue({ commonName: 'default.world.test', altNames: ['default.world.test'] });

  let internalHits = 0;
  const internal = http.createServer((_req, res) => {
    internalHits++;
    res.end('INTERNAL-SECRET');
  });

  const ctx: WorldContext = {
    pages,
    httpPort: 0,
    httpsPort: 0,
    internalPort: 0,
    gzipBomb: await makeGzipBomb(options.gzipBombBytes ?? 128 * 1024 * 1024),
  };

  const handle = (scheme: 'http' | 'https') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const name = requestHost(req);
    const host = findHost(hosts, name);
    if (!host || !host.handler || host.serve === 'none') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(pages.defaultServerPage());
      return;
    }
    if (scheme === 'http' && host.serve === 'https') {
      res.writeHead(301, { location: `https://${name}${req.url ?? '/'}` });
      res.end();
      return;
    }
    try {
      host.handler(req, res, ctx);
    } catch {
      res.destroy();
    }
  };

  const httpServer = http.createServer({ maxHeaderSize: 16 * 1024 }, handle('http'));
  const httpsServer = https.createServer(
    {
      cert: defaultPair.certPem,
      key: defaultPair.keyPem,
      SNICallback(servername, callback) {
        const host = findHost(hosts, servername.toLowerCase());
        if (host && (host.serve === 'http' || host.serve === 'none')) return callback(new Error(`${servername} has no https`));
        const context = host ? contexts.get(host.name) : undefined;
        callback(null, context ?? contextFor(defaultPair));
      },
    },
    handle('https'),
  );
  // a client that cut the TLS handshake short is normal here; keep it out of the test output
  httpsServer.on('tlsClientError', () => undefined);
  const traffic: WorldTraffic = { requests: 0, connections: 0, tlsHandshakes: 0, tlsResumed: 0 };
  for (const server of [httpServer, httpsServer]) {
    server.on('connection', () => void traffic.connections++);
    server.on('request', () => void traffic.requests++);
  }
  httpsServer.on('secureConnection', (socket: tls.TLSSocket) => {
    traffic.tlsHandshakes++;
    if (socket.isSessionReused()) traffic.tlsResumed++;
  });

  ctx.httpPort = await listen(httpServer);
  ctx.httpsPort = await listen(httpsServer);
  ctx.internalPort = await listen(internal);
  const closedPort = await freePort();

  const records: Record<string, string[]> = {};
  for (const host of hosts) {
    const addresses = host.addresses ?? [WORLD_ADDRESS];
    if (addresses.length > 0) records[host.name] = addresses;
  }
  const dns = await startDnsServer({ records });

  const tldOf = (name: string): string => name.slice(name.lastIndexOf('.') + 1);
  // names under other TLDs (the discovery hosts) reach the world too, zone by zone; addresses never
  const zones = [...new Set([...hosts.map((h) => tldOf(h.name)), ...(options.connectZones ?? [])])].filter((z) => z !== 'test' && /^[a-z][a-z0-9-]*$/.test(z)).sort();
  const addresses: WorldAddresses = { httpPort: ctx.httpPort, httpsPort: ctx.httpsPort, closedPort, dnsHost: dns.host, dnsPort: dns.port, caPem: ca.certPem, zones };
  const allowAddresses = [ctx.httpPort, ctx.httpsPort, closedPort].map((port) => ({ address: WORLD_ADDRESS, port }));

  let closing: Promise<void> | undefined;
  return {
    hosts,
    dns,
    httpPort: ctx.httpPort,
    httpsPort: ctx.httpsPort,
    internalPort: ctx.internalPort,
    closedPort,
    caPem: ca.certPem,
    caFile,
    internalHits: () => internalHits,
    crawlerOptions(extra = {}) {
      return worldCrawlerOptions(addresses, extra);
    },
    addresses: () => ({ ...addresses }),
    traffic: () => ({ ...traffic }),
    cliFlags() {
      return [
        '--dns-server', `${dns.host}:${dns.port}`,
        '--connect-to', `refused.test:::${closedPort}`,
        ...['test', ...zones].flatMap((zone) => ['--connect-to', `*.${zone}:443::${ctx.httpsPort}`, '--connect-to', `*.${zone}:80::${ctx.httpPort}`]),
        ...allowAddresses.flatMap((a) => ['--allow-address', `${a.address}:${a.port}`]),
        '--ca', caFile,
      ];
    },
    addHost(host) {
      const zone = tldOf(host.name);
      if (zone !== 'test' && !zones.includes(zone)) throw new Error(`world: .${zone} is not a connect zone (pass it in connectZones)`);
      hosts.push(host);
      issueFor(host);
      const addresses = host.addresses ?? [WORLD_ADDRESS];
      if (addresses.length > 0) dns.set(host.name, addresses);
    },
    close() {
      closing ??= (async () => {
        for (const server of [httpServer, httpsServer, internal]) server.closeAllConnections();
        await Promise.all([httpServer, httpsServer, internal].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
        await dns.close();
        await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
