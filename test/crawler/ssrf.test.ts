import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawler, type Crawler } from '../../src/crawler/index.js';
import { startWorld, type World } from '../world/world.js';

/**
 * The world lives on 127.0.0.1, so these tests also show the guard's two doors: a crawler with no
 * allowance fetches nothing of it, and a crawler allowed exactly the world's listeners still
 * cannot be redirected or resolved onto any other private address or port.
 */
describe('the SSRF guard holds through every redirect and DNS trick', () => {
  let world: World;
  let worldOnly: Crawler;
  let strict: Crawler;

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
    worldOnly = createCrawler(world.crawlerOptions({ totalTimeoutMs: 5000 }));
    const { allowAddresses: _ignored, ...noAllowance } = world.crawlerOptions({ totalTimeoutMs: 5000 });
    strict = createCrawler(noAllowance);
  });
  afterAll(async () => {
    await Promise.all([worldOnly.close(), strict.close()]);
    await world.close();
  });

  it('without any allowance, a name that resolves to loopback is refused before connecting', async () => {
    for (const url of ['https://orig.test/', 'http://old.test/', 'http://to-internal.hostile.test/']) {
      const record = await strict.fetch(url);
      expect(record.error?.code).toBe('CRAWL_SSRF_BLOCKED');
      expect(record.status).toBeNull();
      expect(record.connectedAddress).toBeNull();
      expect(record.resolvedAddresses).toEqual(['127.0.0.1']);
    }
  });

  it('without any allowance, IP literals in every notation are refused', async () => {
    const port = world.internalPort;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://[fe80::1]/',
      'http://10.0.0.1/',
    ]) {
      const record = await strict.fetch(url);
      expect(record.error?.code, url).toBe('CRAWL_SSRF_BLOCKED');
    }
    expect(world.internalHits()).toBe(0);
  });

  it.each([
    'to-loopback', 'to-internal', 'to-decimal', 'to-hex', 'to-octal', 'to-v6', 'to-metadata', 'to-internal-name', 'meta-to-internal',
  ])('a redirect from %s.hostile.test to a private address is refused at that hop', async (name) => {
    const record = await worldOnly.fetch(`http://${name}.hostile.test/`);
    expect(record.error?.code).toBe('CRAWL_SSRF_BLOCKED');
    expect(record.redirects).toHaveLength(1);
    expect(record.redirects[0]?.connectedAddress).toBe('127.0.0.1');
    expect(record.connectedAddress).toBeNull();
    expect(world.internalHits()).toBe(0);
  });

  it.each(['private-dns', 'loopback2-dns', 'metadata-dns', 'mapped-dns', 'v6-loopback-dns', 'mixed-dns'])(
    'a name (%s.hostile.test) whose DNS answer holds a private address is refused',
    async (name) => {
      const record = await worldOnly.fetch(`http://${name}.hostile.test/`);
      expect(record.error?.code).toBe('CRAWL_SSRF_BLOCKED');
      expect(record.connectedAddress).toBeNull();
      expect(record.resolvedAddresses.length).toBeGreaterThan(0);
    },
  );

  it('a --resolve override is checked like DNS', async () => {
    const overridden = createCrawler(world.crawlerOptions({ resolve: [{ host: '*', port: world.httpPort, addresses: ['10.9.8.7'] }] }));
    const record = await overridden.fetch('http://orig.test/');
    await overridden.close();
    expect(record.error?.code).toBe('CRAWL_SSRF_BLOCKED');
  });

  it('--allow-private lifts the guard (shown on loopback only)', async () => {
    const open = createCrawler({ allowPrivate: true, totalTimeoutMs: 5000 });
    const record = await open.fetch(`http://127.0.0.1:${world.internalPort}/`);
    await open.close();
    expect(record.status).toBe(200);
    expect(Buffer.from(record.body).toString()).toBe('INTERNAL-SECRET');
    expect(world.internalHits()).toBe(1);
  });
});
