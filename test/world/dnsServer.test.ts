import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from './dnsServer.js';

describe('test world DNS server', () => {
  let server: DnsServer;
  let resolver: Resolver;

  beforeAll(async () => {
    server = await startDnsServer({
      records: {
        'a.example.test': ['127.0.0.1', '::1'],
        'v4only.example.test': ['127.0.0.2'],
        '*.parking.test': ['127.0.0.3'],
        'exact.parking.test': ['127.0.0.4'],
      },
    });
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`${server.host}:${server.port}`]);
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers A and AAAA for a known name', async () => {
    expect(await resolver.resolve4('a.example.test')).toEqual(['127.0.0.1']);
    expect(await resolver.resolve6('a.example.test')).toEqual(['::1']);
  });

  it('matches names case-insensitively', async () => {
    expect(await resolver.resolve4('A.Example.TEST')).toEqual(['127.0.0.1']);
  });

  it('gives NODATA, not NXDOMAIN, for a known name without records of that type', async () => {
    await expect(resolver.resolve6('v4only.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('gives NXDOMAIN for an unknown name', async () => {
    await expect(resolver.resolve4('nothing.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers every name below a wildcard, but not the zone apex', async () => {
    expect(await resolver.resolve4('anything.parking.test')).toEqual(['127.0.0.3']);
    expect(await resolver.resolve4('deep.er.parking.test')).toEqual(['127.0.0.3']);
    await expect(resolver.resolve4('parking.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('prefers an exact name over a wildcard', async () => {
    expect(await resolver.resolve4('exact.parking.test')).toEqual(['127.0.0.4']);
  });

  it('changes answers at run time with set()', async () => {
    server.set('new.example.test', ['127.0.0.9']);
    expect(await resolver.resolve4('new.example.test')).toEqual(['127.0.0.9']);
    server.set('new.example.test', []);
    await expect(resolver.resolve4('new.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('rejects a value that is not an IP address', async () => {
    expect(() => server.set('bad.example.test', ['not-an-ip'])).toThrow(/not an IP/);
  });
});
