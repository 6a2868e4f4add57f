import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCheck, resolverFor } from '../../src/discovery/resolveCheck.js';
import type { Candidate } from '../../src/discovery/types.js';
import { startDnsServer, type DnsServer } from '../world/dnsServer.js';

const candidate = (domain: string): Candidate => ({ domain, site: 's', source: 'tld-swap', reason: 'test', score: 0.5 });

describe('DNS pre-check against a DNS server on loopback', () => {
  let server: DnsServer;
  beforeAll(async () => {
    server = await startDnsServer({
      records: {
        'live-site.example': ['127.0.0.10'],
        // a parking registrar answers every name under its zone with the same address
        '*.parked.example': ['127.0.0.66'],
        // under a wildcard, a name with its own address is still a real host
        'real.parked.example': ['127.0.0.11'],
        // the proxy base is live and its brands are explicit records
        'brand.proxybase.example': ['127.0.0.12'],
        'proxybase.example': ['127.0.0.12'],
      },
    });
  });
  afterAll(async () => server.close());

  it('passes only live, non-wildcard names', async () => {
    const names = ['live-site.example', 'gone.example', 'anything.parked.example', 'real.parked.example', 'brand.proxybase.example', 'other.proxybase.example'];
    const results = await resolveCheck(names.map(candidate), resolverFor(`${server.host}:${server.port}`), { concurrency: 2 });
    expect(Object.fromEntries(results.map((r) => [r.candidate.domain, r.status]))).toEqual({
      'live-site.example': 'live',
      'gone.example': 'absent',
      'anything.parked.example': 'wildcard',
      'real.parked.example': 'live',
      'brand.proxybase.example': 'live',
      'other.proxybase.example': 'absent',
    });
    expect(results.find((r) => r.candidate.domain === 'live-site.example')!.addresses).toEqual(['127.0.0.10']);
  });

  it('sees records that change between runs (no stale cache across checks)', async () => {
    server.set('late.example', ['127.0.0.20']);
    const [result] = await resolveCheck([candidate('late.example')], resolverFor(`${server.host}:${server.port}`));
    expect(result!.status).toBe('live');
  });

  it('keeps at most `concurrency` lookups in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const resolver = {
      async resolve4(name: string) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        if (name.startsWith('hw-')) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
        return ['127.0.0.1'];
      },
    };
    const results = await resolveCheck(Array.from({ length: 40 }, (_, i) => candidate(`n${i}.example`)), resolver, { concurrency: 3 });
    expect(peak).toBeLessThanOrEqual(3);
    expect(results.every((r) => r.status === 'live')).toBe(true);
  });

  it('reports resolver failures as errors, not as absent', async () => {
    const resolver = { resolve4: async () => { throw Object.assign(new Error('servfail'), { code: 'ESERVFAIL' }); } };
    const [result] = await resolveCheck([candidate('x.example')], resolver);
    expect(result!.status).toBe('error');
  });

  it('refuses a DNS server that is not an address', () => {
    expect(() => resolverFor('not a server')).toThrowError(expect.objectContaining({ code: 'DISCOVERY_BAD_DNS_SERVER' }));
  });
});
