import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawler, decodeBody, type Crawler } from '../../src/crawler/index.js';
import { familyPages } from '../world/sitePages.js';
import { startWorld, type World } from '../world/world.js';

describe('crawler against the test world', () => {
  let world: World;
  let crawler: Crawler;

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 32 * 1024 * 1024 });
    crawler = createCrawler(world.crawlerOptions({ totalTimeoutMs: 5000 }));
  });
  afterAll(async () => {
    await crawler.close();
    await world.close();
  });

  it('fetches a page over HTTPS and records body, hash, addresses and a valid certificate', async () => {
    const record = await crawler.fetch('https://orig.test/');
    expect(record.error).toBeNull();
    expect(record.status).toBe(200);
    expect(record.isHtml).toBe(true);
    expect(record.contentType).toMatch(/text\/html/);
    expect(decodeBody(record.body, record.charset)).toContain('Harbor Torrents');
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.resolvedAddresses).toEqual(['127.0.0.1']);
    expect(record.connectedAddress).toBe('127.0.0.1');
    expect(record.tls).toMatchObject({ authorized: true, authorizationError: null, subjectAltNames: ['orig.test'] });
    expect(record.tls?.issuer).toContain('hopwatch test world CA');
    expect(record.tls?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(record.tls?.validTo).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('records SANs that list sibling mirror domains', async () => {
    const record = await crawler.fetch('https://mirror-two.test/');
    expect(record.tls?.subjectAltNames).toEqual(['mirror-two.test', 'mirror-one.test', 'mirror-three.test', 'www.mirror-two.test']);
  });

  it('an expired or self-signed certificate does not stop the fetch, and the record says so', async () => {
    const expired = await crawler.fetch('https://expired-cert.test/');
    expect(expired.status).toBe(200);
    expect(expired.tls).toMatchObject({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED' });
    const selfSigned = await crawler.fetch('https://self-signed.test/');
    expect(selfSigned.status).toBe(200);
    expect(selfSigned.tls?.authorized).toBe(false);
    expect(selfSigned.tls?.authorizationError).toMatch(/SELF_SIGNED/);
  });

  it('without --ca the world CA is not trusted, but the page is still fetched', async () => {
    const untrusting = createCrawler(world.crawlerOptions({ extraCaPem: [] }));
    const record = await untrusting.fetch('https://orig.test/');
    await untrusting.close();
    expect(record.status).toBe(200);
    expect(record.tls?.authorized).toBe(false);
  });

  it('decodes gzip, br and deflate bodies to the same page', async () => {
    const [gzip, br, deflate] = await Promise.all([
      crawler.fetch('https://mirror-one.test/'),
      crawler.fetch('https://mirror-two.test/'),
      crawler.fetch('http://mirror-deflate.test/'),
    ]);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(deflate.headers['content-encoding']).toBe('deflate');
    for (const [record, host] of [[gzip, 'mirror-one.test'], [br, 'mirror-two.test'], [deflate, 'mirror-deflate.test']] as const) {
      expect(decodeBody(record.body, record.charset)).toBe(familyPages.mirrorHome(host));
    }
    expect(gzip.wireBytes).toBeLessThan(gzip.body.length);
  });

  it('follows a 301 from an old domain to the new one and records the chain', async () => {
    const record = await crawler.fetch('http://old.test/');
    expect(record.finalUrl).toBe('https://mirror-one.test/');
    expect(record.redirects).toEqual([
      { url: 'http://old.test/', status: 301, kind: 'http', location: 'https://mirror-one.test/', connectedAddress: '127.0.0.1' },
    ]);
  });

  it('follows a chain across domains, a meta refresh and a JavaScript location', async () => {
    const chain = await crawler.fetch('https://chain.test/');
    expect(chain.redirects.map((r) => r.location)).toEqual(['http://chain2.test/next', 'https://mirror-two.test/']);
    expect(chain.status).toBe(200);
    const meta = await crawler.fetch('https://meta.test/');
    expect(meta.redirects[0]).toMatchObject({ kind: 'meta-refresh', location: 'https://mirror-one.test/' });
    const js = await crawler.fetch('https://js.test/');
    expect(js.redirects[0]).toMatchObject({ kind: 'javascript', location: 'https://mirror-one.test/' });
    expect(js.finalUrl).toBe('https://mirror-one.test/');
  });

  it('records every HTTP exchange of a redirect chain in order, as it crossed the wire', async () => {
    const record = await crawler.fetch('http://chain.test/');
    expect(record.error).toBeNull();
    expect(record.exchanges.map((e) => [e.url, e.status])).toEqual([
      ['http://chain.test/', 302],
      ['http://chain2.test/next', 301],
      ['https://mirror-two.test/', 200],
    ]);
    const [first, , last] = record.exchanges;
    expect(first!.requestHeaders.map(([name]) => name)).toEqual(['host', 'connection', 'user-agent', 'accept', 'accept-encoding', 'accept-language']);
    expect(first!.requestHeaders[0]).toEqual(['host', 'chain.test']);
    expect(first!).toMatchObject({ method: 'GET', statusText: 'Found', httpVersion: '1.1', remoteAddress: '127.0.0.1', tls: null, rawBodyTruncated: false });
    expect(first!.remotePort).toBe(world.httpPort);
    expect(first!.responseHeaders).toContainEqual(['location', 'http://chain2.test/next']);
    expect(Buffer.from(first!.rawBody).toString()).toBe('<a href="http://chain2.test/next">moved</a>');
    expect(new Date(first!.startedAt).toISOString()).toBe(first!.startedAt);
    // the final hop: served brotli over TLS; raw bytes are the compressed ones, the record's body decoded
    expect(last!.tls?.subjectAltNames).toContain('mirror-two.test');
    expect(last!.remotePort).toBe(world.httpsPort);
    expect(last!.responseHeaders.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1]).toBe('br');
    expect(last!.rawBody.length).toBe(record.wireBytes);
    expect(last!.rawBody.length).toBeLessThan(record.body.length);
  });

  it('a fetch with no response still records the exchange, with status null', async () => {
    const record = await crawler.fetch('http://refused.test/');
    expect(record.exchanges).toHaveLength(1);
    expect(record.exchanges[0]).toMatchObject({ url: 'http://refused.test/', status: null, responseHeaders: [], remoteAddress: null });
    expect(record.exchanges[0]!.rawBody.length).toBe(0);
  });

  it('detects windows-1251 from a meta tag and Shift_JIS from the header', async () => {
    const cp1251 = await crawler.fetch('http://cp1251.test/');
    expect(cp1251).toMatchObject({ charset: 'windows-1251', charsetSource: 'meta' });
    expect(decodeBody(cp1251.body, cp1251.charset)).toContain('Скачать фильмы бесплатно');
    const sjis = await crawler.fetch('http://sjis.test/');
    expect(sjis).toMatchObject({ charset: 'shift_jis', charsetSource: 'header' });
    expect(decodeBody(sjis.body, sjis.charset)).toContain('映画をダウンロード');
  });

  it('an unknown name is NXDOMAIN and a closed port is refused, as typed results', async () => {
    const gone = await crawler.fetch('https://gone.test/');
    expect(gone).toMatchObject({ status: null, error: { code: 'CRAWL_DNS_NXDOMAIN', action: 'give-up' } });
    const refused = await crawler.fetch('https://refused.test/');
    expect(refused).toMatchObject({ status: null, error: { code: 'CRAWL_CONNECT_REFUSED', action: 'retry' } });
  });

  it('rejects URLs that are not http(s) without any network', async () => {
    for (const url of ['ftp://orig.test/', 'file:///etc/passwd', 'not a url', 'http://user:pw@orig.test/']) {
      const record = await crawler.fetch(url);
      expect(record.error?.code).toBe('CRAWL_INVALID_URL');
    }
  });

  it('times the fetch with the injected clock', async () => {
    let now = 1_700_000_000_000;
    const ticking = createCrawler(world.crawlerOptions({ clock: () => (now += 5) }));
    const record = await ticking.fetch('https://orig.test/');
    await ticking.close();
    expect(record.fetchedAt).toBe('2023-11-14T22:13:20.005Z');
    expect(record.timings.totalMs).toBeGreaterThan(0);
    expect(record.timings.totalMs % 5).toBe(0);
    expect(record.timings.connectMs).not.toBeNull();
  });

  it("a caller's AbortSignal stops the fetch with CRAWL_ABORTED", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const record = await crawler.fetch('http://slow.hostile.test/', { signal: controller.signal });
    expect(record.error?.code).toBe('CRAWL_ABORTED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a closed crawler refuses new fetches with CRAWL_CLOSED, and close() stops fetches in flight', async () => {
    const closing = createCrawler(world.crawlerOptions());
    const inFlight = closing.fetch('http://slow.hostile.test/');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    expect((await inFlight).error?.code).toBe('CRAWL_CLOSED');
    expect((await closing.fetch('https://orig.test/')).error?.code).toBe('CRAWL_CLOSED');
  });
});
