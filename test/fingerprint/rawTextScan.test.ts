/**
 * The one-walk raw-text scan must answer exactly as whole-text regexes did: every pattern's
 * anchors are checked here against its regex run over the whole text, on texts built to sit
 * matches at the edges, overlap anchors, change case and touch letters.
 */
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_PATTERNS } from '../../src/fingerprint/identifiers.js';
import { PAGE_KIND_PATTERNS } from '../../src/fingerprint/pageKind.js';
import { scanRawText } from '../../src/fingerprint/rawPatterns.js';
import { RawTextScanner, type AnchoredPattern } from '../../src/fingerprint/rawTextScan.js';
import { seededRandom } from '../fixtures/ctWorkload.js';

const PATTERNS = [...IDENTIFIER_PATTERNS, ...PAGE_KIND_PATTERNS];

/** Strings each pattern matches, and near misses: fragments the texts are built from. */
const FRAGMENTS = [
  'UA-123456-1', 'ua-123456-1', 'xUA-123456-12', 'UA-1234567-1x', "gtag('config', 'G-ABCDEF12')", 'gtag/js?id=G-ABCDEF12', 'GTM-ABCD12', 'gtm-abcd12',
  'AW-1234567', 'ca-pub-1234567890', 'xca-pub-12345678901', 'pub-12345678901234', 'mc.yandex.ru/watch/123456', 'MC.YANDEX.COM/informer/99999', 'ym(123456', 'xym(123456',
  'yaCounter123456', "Histats.start', '1,4567890", 'histats.com/x?12345678', 'LIVEINTERNET.RU/click;AbC', 'yadro.ru/hit;x.y', "fbq('init', '1234567')",
  'sc_project=123456', 'clicky_site_ids.push(1234567)', 'clicky.com/1234567', `data-cf-beacon='{"token": "0123456789abcdef0123456789abcdef"`,
  'data-cf-beacon="{&quot;token&quot;: &quot;0123456789abcdef0123456789abcdef', "setSiteId', '1']); u='https://m/'", 'magnet:?xt=urn:btih:abcdefabcdefabcdefab&tr=udp://t.example:80',
  'MAGNET:?xt=urn:btih:abcdefabcdefabcdefab', 'cf-browser-verification', 'CF_CHL_', '__cf_chl_opt', 'jschl-answer', 'jschl_vc', 'jschlx', '/cdn-cgi/challenge-platform/h/b',
  'challenge-form', 'cf-turnstile', 'ddos-guard', 'DDoSGuard', 'sucuri website firewall', 'Sucuri_CloudProxy', 'cloudproxy', '_Incapsula_Resource', 'incapsula incident', 'sgcaptcha',
  'stackpath', 'window.park', 'window.parking', 'parking-lander', 'parkingcrew', '/park.js', '/parking.js', 'caf.js', 'sedoparking', 'bodis', 'dan.com', 'afternic', 'parklogic',
  'above.com/marketplace', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', '0x52908400098527886E0F7030069857D2E4169EE7', 'donate', 'ü', 'İ', '\u212a', 'K', ' ', '"', "'", '>', '<', '-', '_', '/', '(', '.', ';', '=',
  'a', 'Z', '7', 'x1', 'Ua', 'ca', 'cf', 'pa', 'ma',
];

function textOf(seed: number, parts: number): string {
  const next = seededRandom(seed); // deterministic: a failure names its seed
  let s = '';
  for (let i = 0; i < parts; i++) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return s;
}

const wholeText = (p: AnchoredPattern) => new RegExp(p.re.source, p.re.flags.replace(/[gy]/g, '') + 'g');
const matchesOf = (it: Iterable<RegExpMatchArray>) => [...it].map((m) => [m.index, ...m]);

/** The donation-address shapes as whole-text regexes (before the scan handed over runs). */
const ADDRESS_SHAPES = [
  /(?<![A-Za-z0-9])[13LMD9A][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9])(?:bc|ltc)1[02-9ac-hj-np-z]{11,71}(?![A-Za-z0-9])/gi,
  /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9])[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}(?![A-Za-z0-9])/g,
];

describe('raw-text scan', () => {
  it('finds what each pattern finds over the whole text, on generated texts', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = textOf(seed, 40);
      const scan = scanRawText(text);
      for (const p of PATTERNS) {
        expect(matchesOf(scan.matches(p)), `seed ${seed}, ${p.re}`).toEqual(matchesOf(text.matchAll(wholeText(p))));
        for (const within of [Infinity, 50, 200]) {
          expect(scan.test(p, within), `seed ${seed}, ${p.re}, within ${within}`).toBe(wholeText(p).test(text.slice(0, within)));
        }
      }
    }
  });

  it('hands over exactly the runs the address shapes can match', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = textOf(seed, 30);
      const runs = [...scanRawText(text).runs()].map(([s, e]) => text.slice(s, e));
      for (const shape of ADDRESS_SHAPES) for (const m of text.matchAll(shape)) expect(runs, `seed ${seed}`).toContain(m[0]);
    }
  });

  it('finds anchors at the very start and end of the text and where anchors overlap', () => {
    const scan = scanRawText('__cf_chl_');
    expect(scan.test(PAGE_KIND_PATTERNS[0]!)).toBe(true);
    const ua = IDENTIFIER_PATTERNS[0]!;
    expect(matchesOf(scanRawText('UA-1234-1').matches(ua))).toEqual([[0, 'UA-1234-1', 'UA-1234-1']]);
    expect([...scanRawText('x '.repeat(10) + '1BoatSLRHtKNngkdXEeobR76b53LETtpyT').runs()]).toEqual([[20, 54]]);
  });

  it('refuses anchors the walk cannot see', () => {
    expect(() => new RawTextScanner([{ anchors: ['ab'], re: /ab/ }])).toThrow(/three or more ASCII/);
    expect(() => new RawTextScanner([{ anchors: ['ümlaut'], re: /ümlaut/ }])).toThrow(/ASCII/);
    expect(() => new RawTextScanner([{ anchors: [], re: /x/ }])).toThrow(/no anchor/);
  });

  it('rejects a pattern it was not built with', () => {
    expect(() => [...scanRawText('abc').matches({ anchors: ['abc'], re: /abc/ })]).toThrow(/not scanned for/);
  });
});
