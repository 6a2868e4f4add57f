import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain, targetUrls } from '../../src/check/checkDomain.js';
import { parseDomainCheckFlags, type DomainCheckOptions } from '../../src/check/domainCheckOptions.js';
import type { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';

describe('checkDomain against the test world', () => {
  let world: World;
  let index: ReferenceIndex;
  let options: DomainCheckOptions;

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 16 * 1024 * 1024 });
    index = buildWorldReferenceIndex();
    options = { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 3 };
  });
  afterAll(async () => {
    await world.close();
  });

  it('a mirror on another domain is a mirror, with the fetch record summary', async () => {
    const result = await checkDomain('mirror-two.test', index, options);
    expect(result).toMatchObject({ input: 'mirror-two.test', domain: 'mirror-two.test', verdict: 'mirror', site: 'harbor', pageKind: 'ok' });
    expect(result.fetch).toMatchObject({ requestedUrl: 'https://mirror-two.test/', status: 200, connectedAddress: '127.0.0.1', error: null });
    expect(result.fetch.tls?.subjectAltNames).toContain('mirror-three.test');
    expect(result.fetch.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.evidence.length).toBeGreaterThan(0);
  });

  it('falls back to http when https does not answer, and records the attempt', async () => {
    const result = await checkDomain('old.test', index, options);
    expect(result.attempts).toEqual([{ url: 'https://old.test/', error: expect.stringMatching(/^CRAWL_/) }]);
    expect(result.fetch.requestedUrl).toBe('http://old.test/');
    expect(result.fetch.finalUrl).toBe('https://mirror-one.test/');
    expect(result.verdict).toBe('mirror');
    expect(result.redirectHosts).toEqual(['mirror-one.test']);
  });

  it('probes the reference paths when the home page is not decisive', async () => {
    const result = await checkDomain('splash.test', index, options);
    expect(result.verdict).toBe('mirror');
    expect(result.probes).toEqual([{ url: 'https://splash.test/search/', status: 200, verdict: 'mirror', score: result.score, error: null }]);
    expect(result.fetch.finalUrl).toBe('https://splash.test/search/');
  });

  it('a URL input is fetched as given', async () => {
    expect(targetUrls('https://a.test/x?y=1')).toEqual(['https://a.test/x?y=1']);
    expect(targetUrls('a.test')).toEqual(['https://a.test/', 'http://a.test/']);
    expect(targetUrls('ftp://a.test/')).toBeNull();
    const result = await checkDomain('http://mirror-deflate.test/', index, options);
    expect(result.attempts).toEqual([]);
    expect(result.verdict).toBe('mirror');
  });

  it.each([
    ['gone.test', 'CRAWL_DNS_NXDOMAIN'],
    ['refused.test', 'CRAWL_CONNECT_REFUSED'],
    ['private-dns.hostile.test', 'CRAWL_SSRF_BLOCKED'],
    ['to-metadata.hostile.test', 'CRAWL_SSRF_BLOCKED'],
    ['not a domain', 'INPUT_INVALID_DOMAIN'],
    ['ftp://files.test/', 'INPUT_INVALID_DOMAIN'],
  ])('%s is an inconclusive result with %s, not an exception', async (target, code) => {
    const result = await checkDomain(target, index, options);
    expect(result).toMatchObject({ verdict: 'inconclusive', pageKind: 'error', error: { code } });
  });

  it('a cut body can prove a match but not its absence', async () => {
    const result = await checkDomain('endless.hostile.test', index, options);
    expect(result).toMatchObject({ verdict: 'inconclusive', error: { code: 'CRAWL_BODY_TOO_LARGE' } });
    expect(result.probes).toEqual([]);
  });

  it("a caller's signal aborts the check", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await checkDomain('http://slow.hostile.test/', index, options, controller.signal);
    expect(result.error?.code).toBe('CRAWL_ABORTED');
  });
});

describe('parseDomainCheckFlags', () => {
  it('turns flags into frozen crawler options', async () => {
    const options = await parseDomainCheckFlags({
      resolve: ['*:443:127.0.0.1'],
      'connect-to': ['*.test:443::8443'],
      'allow-address': ['127.0.0.1:8443', '[::1]:8443'],
      'dns-server': ['127.0.0.1:5353'],
      'timeout-ms': '2500',
      'user-agent': 'test-agent',
      'max-probes': '0',
    });
    expect(options.maxProbePaths).toBe(0);
    expect(options.crawler).toMatchObject({
      totalTimeoutMs: 2500,
      userAgent: 'test-agent',
      allowPrivate: false,
      allowAddresses: [{ address: '127.0.0.1', port: 8443 }, { address: '::1', port: 8443 }],
      resolve: [{ host: '*', port: 443, addresses: ['127.0.0.1'] }],
      connectTo: [{ fromHost: '*.test', fromPort: 443, toHost: null, toPort: 8443 }],
    });
    expect(typeof options.crawler.resolver).toBe('function');
    expect(Object.isFrozen(options)).toBe(true);
  });

  it.each([
    [{ resolve: ['nonsense'] }, /--resolve/],
    [{ 'connect-to': ['a:b'] }, /--connect-to/],
    [{ 'allow-address': ['localhost:80'] }, /--allow-address/],
    [{ 'timeout-ms': '-5' }, /--timeout-ms/],
    [{ 'max-probes': '99' }, /--max-probes/],
    [{ ca: '/nonexistent/ca.pem' }, /--ca/],
    [{ 'user-agent': 'a\nb' }, /--user-agent/],
  ])('rejects %o with CLI_BAD_ARGUMENT', async (values, message) => {
    await expect(parseDomainCheckFlags(values)).rejects.toMatchObject({ code: 'CLI_BAD_ARGUMENT', message: expect.stringMatching(message) });
  });
});
