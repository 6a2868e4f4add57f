/**
 * A second, small test world with families of hosts instead of a fixed list: any name under
 * `<family>.many.test` answers as its family says, so a test or a benchmark can use 5,000 distinct
 * domains. It has its own DNS server and HTTP/HTTPS listeners on loopback (one wildcard
 * certificate per family), serves the page family of test/fixtures, and records when each host
 * was contacted, so a test can check per-host politeness from the server's side.
 *
 * Kept apart from world.ts (which other tests own) on purpose: nothing here changes that world.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CrawlerOptions } from '../../src/crawler/crawler.js';
import { dnsServerResolver } from '../../src/crawler/hostResolution.js';
import type { Verdict } from '../../src/match/types.js';
import { createCertificateAuthority } from './certificates.js';
import { startDnsServer, type DnsServer } from './dnsServer.js';
import { familyPages } from './sitePages.js';

export const MANY_ZONE = 'many.test';
const ADDRESS = '127.0.0.1';

/** What each family serves and what a check must conclude. */
export const MANY_FAMILIES = {
  /** the blocked site on another domain */
  mirror: { verdict: 'mirror' as Verdict, errorCode: null },
  /** an ordinary site */
  plain: { verdict: 'unrelated' as Verdict, errorCode: null },
  /** a parking page: no match, and the domain counts as dead */
  parked: { verdict: 'inconclusive' as Verdict, errorCode: null },
  /** no DNS record */
  gone: { verdict: 'inconclusive' as Verdict, errorCode: 'CRAWL_DNS_NXDOMAIN' },
  /** redirects to the same label under mirror: a new candidate */
  moved: { verdict: 'mirror' as Verdict, errorCode: null },
  /** a mirror that answers after `slowMs` (a job to kill a worker in the middle of) */
  slow: { verdict: 'mirror' as Verdict, errorCode: null },
  /** resets the connection for its first `flakyFailures` requests, then serves the mirror */
  flaky: { verdict: 'mirror' as Verdict, errorCode: null },
  /** always resets the connection */
  down: { verdict: 'inconclusive' as Verdict, errorCode: 'CRAWL_CONNECTION_RESET' },
} as const;

export type ManyFamily = keyof typeof MANY_FAMILIES;

export interface ManyHostsOptions {
  slowMs?: number;
  flakyFailures?: number;
}

export interface ManyHostsWorld {
  httpPort: number;
  httpsPort: number;
  dns: DnsServer;
  caFile: string;
  /** `label.family.many.test` */
  domain(family: ManyFamily, label: string | number): string;
  familyOf(domain: string): ManyFamily | null;
  expected(domain: string): { verdict: Verdict; errorCode: string | null } | null;
  /** ms times of the requests each host received (at most 1,000 per host) */
  requestTimes(): ReadonlyMap<string, readonly number[]>;
  /** requests answered in all */
  requestCount(): number;
  /** crawler options that reach this world and nothing else */
  crawlerOptions(extra?: Partial<CrawlerOptions>): CrawlerOptions;
  cliFlags(): string[];
  close(): Promise<void>;
}

const MAX_TIMES_PER_HOST = 1000;

export function familyOfHost(host: string): ManyFamily | null {
  const m = /^[a-z0-9-]+\.([a-z]+)\.many\.test$/.exec(host);
  return m && m[1]! in MANY_FAMILIES ? (m[1] as ManyFamily) : null;
}

function send(res: http.ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes.length });
  res.end(bytes);
}

export async function startManyHosts(options: ManyHostsOptions = {}): Promise<ManyHostsWorld> {
  const slowMs = options.slowMs ?? 3000;
  const flakyFailures = options.flakyFailures ?? 2;
  const times = new Map<string, number[]>();
  const seen = new Map<string, number>();
  let requests = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    requests++;
    const list = times.get(host) ?? [];
    if (list.length < MAX_TIMES_PER_HOST) list.push(Date.now());
    times.set(host, list);
    const count = (seen.get(host) ?? 0) + 1;
    seen.set(host, count);
    const family = familyOfHost(host);
    const label = host.split('.')[0] ?? 'x';
    switch (family) {
      case 'mirror':
        return send(res, 200, familyPages.mirrorHome(host));
      case 'plain':
        return send(res, 200, familyPages.ordinaryHome(host));
      case 'parked':
        return send(res, 200, familyPages.parkedPage(host));
      case 'moved':
        res.writeHead(301, { location: `https://${label}.mirror.${MANY_ZONE}/` });
        res.end();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(res, 200, familyPages.mirrorHome(host));
        }, slowMs);
        timers.add(timer);
        return;
      }
      case 'flaky':
        if (count <= flakyFailures) {
          req.socket.destroy();
          return;
        }
        return send(res, 200, familyPages.mirrorHome(host));
      case 'down':
        req.socket.destroy();
        return;
      default:
        return send(res, 200, familyPages.defaultServerPage());
    }
  };

  const ca = createCertificateAuthority('hopwatch many-hosts CA');
  const families = Object.keys(MANY_FAMILIES);
  const pair = ca.issue({ commonName: `mirror.${MANY_ZONE}`, altNames: families.map((f) => `*.${f}.${MANY_ZONE}`) });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-many-'));
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, ca.certPem);

  const httpServer = http.createServer({ keepAliveTimeout: 1000 }, handler);
  const httpsServer = https.createServer({ cert: pair.certPem, key: pair.keyPem, keepAliveTimeout: 1000 }, handler);
  httpsServer.on('tlsClientError', () => undefined);
  for (const server of [httpServer, httpsServer]) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const listen = (server: http.Server): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, ADDRESS, () => resolve((server.address() as AddressInfo).port));
    });
  const httpPort = await listen(httpServer);
  const httpsPort = await listen(httpsServer);

  const records: Record<string, string[]> = {};
  for (const family of families) if (family !== 'gone') records[`*.${family}.${MANY_ZONE}`] = [ADDRESS];
  const dns = await startDnsServer({ records, ttlSeconds: 60 });
  const allowAddresses = [httpPort, httpsPort].map((port) => ({ address: ADDRESS, port }));

  let closing: Promise<void> | undefined;
  return {
    httpPort,
    httpsPort,
    dns,
    caFile,
    domain: (family, label) => `${typeof label === 'number' ? `h${label}` : label}.${family}.${MANY_ZONE}`,
    familyOf: familyOfHost,
    expected(domain) {
      const family = familyOfHost(domain);
      return family ? { ...MANY_FAMILIES[family] } : null;
    },
    requestTimes: () => times,
    requestCount: () => requests,
    crawlerOptions(extra = {}) {
      return {
        resolver: dnsServerResolver([`${dns.host}:${dns.port}`], { timeoutMs: 2000, tries: 2 }),
        connectTo: [
          { fromHost: `*.${MANY_ZONE}`, fromPort: 443, toHost: null, toPort: httpsPort },
          { fromHost: `*.${MANY_ZONE}`, fromPort: 80, toHost: null, toPort: httpPort },
        ],
        allowAddresses,
        extraCaPem: [ca.certPem],
        ...extra,
      };
    },
    cliFlags() {
      return [
        '--dns-server', `${dns.host}:${dns.port}`,
        '--connect-to', `*.${MANY_ZONE}:443::${httpsPort}`,
        '--connect-to', `*.${MANY_ZONE}:80::${httpPort}`,
        ...allowAddresses.flatMap((a) => ['--allow-address', `${a.address}:${a.port}`]),
        '--ca', caFile,
      ];
    },
    close() {
      closing ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        await Promise.all([httpServer, httpsServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
        await dns.close();
        await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * The smallest gap, in ms, between two requests to the same host that belong to different checks:
 * requests closer than `sameCheckMs` are one check's own fetches (https then http, probes).
 */
export function smallestHostGapMs(times: ReadonlyMap<string, readonly number[]>, sameCheckMs: number): number | null {
  let smallest: number | null = null;
  for (const list of times.values()) {
    const sorted = [...list].sort((a, b) => a - b);
    let checkStart = sorted[0];
    for (const t of sorted.slice(1)) {
      if (checkStart === undefined) break;
      const gap = t - checkStart;
      if (gap < sameCheckMs) continue;
      smallest = smallest === null ? gap : Math.min(smallest, gap);
      checkStart = t;
    }
  }
  return smallest;
}
