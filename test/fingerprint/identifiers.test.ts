import { describe, expect, it } from 'vitest';
import { BASE58_CANDIDATE, BECH32_CANDIDATE, ETH_CANDIDATE, mayBeAddress, XMR_CANDIDATE } from '../../src/fingerprint/donationAddresses.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';

const idsOf = (html: string) => fingerprintPage({ body: `<html><head><title>T</title></head><body>${html}<p>${'filler text '.repeat(20)}</p></body></html>` }).identifiers.map((i) => `${i.kind}=${i.value}/${i.scope}`);

describe('identifiers', () => {
  it('splits a Universal Analytics ID into a site property and an operator account', () => {
    expect(idsOf("<script>ga('create','UA-652486-46','auto')</script>")).toEqual(expect.arrayContaining(['ga-property=UA-652486-46/site', 'ga-account=UA-652486/operator']));
  });

  it('finds GA4, GTM, Ads, AdSense, Yandex Metrika, Histats, Facebook and verification tokens', () => {
    const ids = idsOf(`
      <script async src="https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF"></script>
      <script>gtag('config', 'AW-123456789');</script>
      <noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-W7XK2P"></iframe></noscript>
      <ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456"></ins>
      <script>ym(87654321, "init", {});</script>
      <script>_Hasync.push(['Histats.start', '1,4233285,4,0,0,0,00010000']);</script>
      <meta property="fb:app_id" content="123694587642603">
      <meta name="yandex-verification" content="a1b2c3d4e5f6a7b8">
      <meta name="msvalidate.01" content="F7F1B0E150DFDA221729591B884B64DE">
      <script>fbq('init', '1747946482194849');</script>`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'ga4=G-AB12CD34EF/site',
        'google-ads=AW-123456789/operator',
        'gtm=GTM-W7XK2P/site',
        'adsense=pub-1234567890123456/operator',
        'yandex-metrika=87654321/site',
        'histats=4233285/site',
        'facebook-app=123694587642603/site',
        'verification:yandex-verification=a1b2c3d4e5f6a7b8/site',
        'verification:msvalidate.01=F7F1B0E150DFDA221729591B884B64DE/site',
        'facebook-pixel=1747946482194849/operator',
      ]),
    );
  });

  it('does not take a bare "G-" word in text for a GA4 ID', () => {
    expect(idsOf('<p>Model G-ABCDEF1234 is on sale</p>').some((i) => i.startsWith('ga4='))).toBe(false);
  });

  it('accepts donation addresses only when their checksum is valid', () => {
    const ids = idsOf('<p>BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq; not 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3</p>');
    expect(ids).toContain('donation:btc=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2/site');
    expect(ids).toContain('donation:btc=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq/site');
    expect(ids.some((i) => i.includes('VN3'))).toBe(false);
  });

  it('slices a run for the address shapes whenever one of them could match it', () => {
    // mayBeAddress is a prefilter: it may pass runs no shape matches, never miss one a shape matches
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n; // the high bits: the low bits of this generator repeat with a short period
    };
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const heads = ['bc1', 'BC1', 'bC1', 'Bc1', 'ltc1', 'LTC1', 'lTc1', 'Ltc1', 'bc', 'ltc', 'lt1', '0x', '0X', '1', '3', '9', 'A', 'D', 'L', 'M', '4', '8', '48', '8B', '40', '8A', 'b', 'l', 'x', ''];
    // the lengths at the shapes' bounds, and any other
    const lengths = [13, 14, 15, 25, 26, 27, 34, 35, 36, 41, 42, 43, 74, 75, 76, 94, 95, 96];
    const hexOrBase = ['0123456789abcdefABCDEF', '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', '02-9acdefghjklmnpqrstuvwxyz'.replace('-', '3456789'), alphabet];
    let matched = 0;
    for (let k = 0; k < 20_000; k++) {
      const head = heads[next(heads.length)]!;
      const body = hexOrBase[next(hexOrBase.length)]!;
      const length = next(2) === 0 ? lengths[next(lengths.length)]! : 12 + next(90);
      let run = head;
      while (run.length < length) run += body[next(body.length)]!;
      const text = `~${run}~`;
      const shaped = BASE58_CANDIDATE.test(run) || BECH32_CANDIDATE.test(run) || ETH_CANDIDATE.test(run) || XMR_CANDIDATE.test(run);
      if (shaped) matched++;
      if (shaped) expect(mayBeAddress(text, 1, run.length), run).toBe(true);
    }
    // the generator reaches every shape often enough to mean something
    expect(matched).toBeGreaterThan(1_000);
  });

  it('takes social handles from profile links, not share buttons', () => {
    const ids = idsOf('<a href="https://t.me/harborchannel">tg</a><a href="https://twitter.com/intent/tweet?u=x">share</a><a href="https://www.facebook.com/sharer/sharer.php?u=x">fb</a><a href="https://www.reddit.com/r/Piracy/">r</a>');
    expect(ids).toContain('social:telegram=harborchannel/site');
    expect(ids).toContain('social:reddit=piracy/site');
    expect(ids.filter((i) => i.startsWith('social:'))).toHaveLength(2);
  });

  it('takes the tracker list shared by the magnet links as the announce set', () => {
    const magnet = (h: string) => `<a href="magnet:?xt=urn:btih:${h}&amp;dn=x&amp;tr=udp%3A%2F%2Ftracker.a.example%3A1337%2Fannounce&amp;tr=udp%3A%2F%2Ftracker.b.example%3A80">m</a>`;
    const fp = fingerprintPage({ body: `<html><body>${magnet('a'.repeat(40))}${magnet('b'.repeat(40))}<p>${'x '.repeat(50)}</p></body></html>` });
    const set = fp.identifiers.find((i) => i.kind === 'announce-set');
    expect(set?.display).toBe('udp://tracker.a.example:1337/announce udp://tracker.b.example:80');
  });

  it('reads social hosts however they are spelt, and skips links that name none', () => {
    // upper case, a trailing dot and the Kelvin sign all fold to the host in urlHost
    const ids = idsOf('<a href="HTTPS://T.ME/HarborChannel">tg</a><a href="//v\u212A.com./harbor">vk</a><a href="/t.me/notahost">rel</a><a href="https://example.org/twitter.com/x">other</a>');
    expect(ids.filter((i) => i.startsWith('social:')).sort()).toEqual(['social:telegram=harborchannel/site', 'social:vk=harbor/site']);
  });

  it('gives magnets that share tracker parameters one set wherever the hash and name stand', () => {
    const trackers = '&tr=udp%3A%2F%2Ftracker.a.example%3A1337&amp;tr=http://tracker.b.example/announce/';
    const magnets = [`magnet:?xt=urn:btih:${'a'.repeat(40)}&dn=one${trackers}`, `magnet:?dn=two&xt=urn:btih:${'b'.repeat(40)}${trackers}`, `magnet:?xt=urn:btih:${'c'.repeat(40)}${trackers}&dn=three`, `magnet:?xt=urn:btih:${'d'.repeat(40)}&dn=none`];
    const fp = fingerprintPage({ body: `<html><body>${magnets.map((m) => `<a href="${m}">m</a>`).join('')}<p>${'x '.repeat(50)}</p></body></html>` });
    const set = fp.identifiers.find((i) => i.kind === 'announce-set');
    expect(set?.display).toBe('http://tracker.b.example/announce udp://tracker.a.example:1337');
  });

  it('names a brand from og:site_name and from a title segment the footer repeats', () => {
    const fp = fingerprintPage({ body: '<html><head><title>Latest uploads - Quay Bay</title><meta property="og:site_name" content="Quay Bay"></head><body><p>' + 'x '.repeat(50) + '</p><footer>© 2024 Quay Bay</footer></body></html>' });
    expect(fp.identifiers.filter((i) => i.kind === 'brand').map((i) => i.value)).toEqual(['quaybay']);
  });
});
