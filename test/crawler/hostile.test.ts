import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawler, type Crawler, type CrawlErrorCode } from '../../src/crawler/index.js';
import { largeVariedPage } from '../world/hostileAnswers.js';
import { startWorld, type World } from '../world/world.js';

/** Limits small enough to see every bound hit quickly. */
const LIMITS = {
  totalTimeoutMs: 1500,
  maxWireBytes: 1024 * 1024,
  maxDecodedBytes: 2 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
};
/** Time a bounded fetch may take beyond its own limit on a loaded 2-core machine. */
const SLACK_MS = 1500;

describe('hostile answers give typed results within their bounds', () => {
  let world: World;
  let crawler: Crawler;

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 64 * 1024 * 1024 });
    crawler = createCrawler(world.crawlerOptions(LIMITS));
  });
  afterAll(async () => {
    await crawler.close();
    await world.close();
    expect(world.internalHits()).toBe(0);
  });

  async function timed(url: string) {
    const started = Date.now();
    const record = await crawler.fetch(url);
    return { record, ms: Date.now() - started };
  }

  it('a slow drip is cut at the overall deadline, keeping what arrived', async () => {
    const { record, ms } = await timed('http://slow.hostile.test/');
    expect(record.error?.code).toBe('CRAWL_TIMEOUT');
    expect(record.status).toBe(200);
    expect(record.bodyTruncated).toBe(true);
    expect(record.body.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(LIMITS.totalTimeoutMs + SLACK_MS);
  });

  it('an endless body is cut at the wire limit', async () => {
    const { record, ms } = await timed('http://endless.hostile.test/');
    expect(record.error?.code).toBe('CRAWL_BODY_TOO_LARGE');
    expect(record.bodyTruncated).toBe(true);
    expect(record.wireBytes).toBe(LIMITS.maxWireBytes);
    expect(record.body.length).toBeLessThanOrEqual(LIMITS.maxWireBytes);
    expect(ms).toBeLessThan(LIMITS.totalTimeoutMs + SLACK_MS);
  });

  it('a decompression bomb is cut at the decoded limit, with memory bounded', async () => {
    const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    const { record } = await timed('http://bomb.hostile.test/');
    const after = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    expect(record.error?.code).toBe('CRAWL_DECOMPRESSED_TOO_LARGE');
    expect(record.body.length).toBe(LIMITS.maxDecodedBytes);
    expect(record.wireBytes).toBeLessThan(LIMITS.maxWireBytes);
    // 64 MiB of zeros would show; the limit plus zlib buffers must not
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
  });

  it.each<[string, CrawlErrorCode]>([
    ['http://loop.hostile.test/', 'CRAWL_REDIRECT_LOOP'],
    ['http://many.hostile.test/', 'CRAWL_TOO_MANY_REDIRECTS'],
    ['http://big-headers.hostile.test/', 'CRAWL_HEADERS_TOO_LARGE'],
    ['http://reset.hostile.test/', 'CRAWL_CONNECTION_RESET'],
    ['http://garbage.hostile.test/', 'CRAWL_PROTOCOL_ERROR'],
    // a Content-Length the body does not honour is the server's fault every time: not retried
    ['http://short-length.hostile.test/', 'CRAWL_PROTOCOL_ERROR'],
  ])('%s gives %s', async (url, code) => {
    const { record, ms } = await timed(url);
    expect(record.error?.code).toBe(code);
    expect(ms).toBeLessThan(LIMITS.totalTimeoutMs + SLACK_MS);
  });

  it('a redirect loop and a long chain are recorded hop by hop, at most 10 followed', async () => {
    const loop = (await timed('http://loop.hostile.test/')).record;
    expect(loop.redirects.map((r) => new URL(r.location).pathname)).toEqual(['/a', '/b', '/a']);
    const many = (await timed('http://many.hostile.test/')).record;
    expect(many.redirects.length).toBe(11);
    expect(many.finalUrl).toBe('http://many.hostile.test/r/10');
  });

  it('binary served as text/html and 200,000 nested elements are fetched as bytes, not parsed', async () => {
    const binary = (await timed('http://binary.hostile.test/')).record;
    expect(binary).toMatchObject({ status: 200, error: null, isHtml: true });
    expect(binary.body.length).toBe(64 * 1024);
    const roomy = createCrawler(world.crawlerOptions());
    const nested = await roomy.fetch('http://nested.hostile.test/');
    await roomy.close();
    expect(nested).toMatchObject({ status: 200, error: null, bodyTruncated: false });
    expect(nested.body.length).toBeGreaterThan(2_000_000);
  });

  it('after every hostile answer the next fetch in the same process still works', async () => {
    await Promise.all(
      ['slow', 'endless', 'bomb', 'loop', 'big-headers', 'reset', 'garbage'].map((name) => crawler.fetch(`http://${name}.hostile.test/`)),
    );
    const record = await crawler.fetch('https://orig.test/');
    expect(record).toMatchObject({ status: 200, error: null, bodyTruncated: false });
  });

  it('silence between body chunks longer than the body timeout gives CRAWL_TIMEOUT with action retry', async () => {
    // undici runs body timers at about one-second resolution, so the silence must be longer than that
    const impatient = createCrawler(world.crawlerOptions({ bodyTimeoutMs: 500, totalTimeoutMs: 8000 }));
    const started = Date.now();
    const record = await impatient.fetch('http://slow.hostile.test/?interval=5000');
    await impatient.close();
    expect(record.error).toMatchObject({ code: 'CRAWL_TIMEOUT', action: 'retry' });
    expect(record.error?.message).toMatch(/body timeout/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a large gzip (with Content-Length) and deflate (EOF-framed) page ended by Connection: close fetch whole, 3 times each', async () => {
    // undici 7.30.2 asserted `!this.paused` and killed the process here when the body was read with backpressure
    const roomy = createCrawler(world.crawlerOptions({ maxWireBytes: 4 * 1024 * 1024, maxDecodedBytes: 4 * 1024 * 1024 }));
    const page = largeVariedPage();
    try {
      for (let round = 0; round < 3; round++) {
        for (const host of ['close-gzip.hostile.test', 'close-deflate.hostile.test']) {
          const record = await roomy.fetch(`http://${host}/`);
          expect(record).toMatchObject({ status: 200, error: null, bodyTruncated: false });
          expect(record.body.length).toBe(page.length);
          expect(Buffer.from(record.body).equals(page)).toBe(true);
          const exchange = record.exchanges.at(-1)!;
          expect(exchange.rawBodyTruncated).toBe(false);
          expect(exchange.rawBody.length).toBe(record.wireBytes);
          expect(record.wireBytes).toBeLessThan(page.length);
        }
      }
    } finally {
      await roomy.close();
    }
  });

  it.each([
    ['http://zstd.hostile.test/', /zstd/],
    ['http://stacked.hostile.test/', /4 stacked content codings/],
  ])('%s gives CRAWL_UNSUPPORTED_ENCODING (permanent) and the raw bytes, and the process goes on', async (url, message) => {
    const { record } = await timed(url);
    expect(record.status).toBe(200);
    expect(record.error).toMatchObject({ code: 'CRAWL_UNSUPPORTED_ENCODING', action: 'give-up' });
    expect(record.error?.message).toMatch(message);
    expect(record.bodyTruncated).toBe(true);
    expect(record.body.length).toBe(0);
    expect(record.exchanges[0]!.rawBody.length).toBeGreaterThan(0);
    const next = await crawler.fetch('http://mirror-deflate.test/');
    expect(next).toMatchObject({ status: 200, error: null });
  });
});
