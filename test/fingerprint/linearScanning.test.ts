/**
 * Every pattern run on page content, against repeated prefixes of what it matches, at growing
 * sizes: the work must grow linearly. time(8n)/time(n) is about 8 for linear work and 64 for
 * quadratic work; the bound of 32 leaves room for caches and a busy machine (see growth.ts).
 */
import { describe, expect, it } from 'vitest';
import { findRedirectHint } from '../../src/crawler/redirectHints.js';
import { detectCharset } from '../../src/crawler/charset.js';
import { hostsInText } from '../../src/discovery/harvest.js';
import { CopyrightSigns } from '../../src/fingerprint/copyrightSigns.js';
import { decodeBody } from '../../src/fingerprint/decodeBody.js';
import { extractDomFeatures, type DomFeatures } from '../../src/fingerprint/domFeatures.js';
import { findDonationAddresses } from '../../src/fingerprint/donationAddresses.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { extractIdentifiers } from '../../src/fingerprint/identifiers.js';
import { MapFamily } from '../../src/fingerprint/featureFamily.js';
import { classifyPage } from '../../src/fingerprint/pageKind.js';
import { scanRawText } from '../../src/fingerprint/rawPatterns.js';
import { GROWTH_FACTOR, growthRatio, inputGrowthRatio, LINEAR_RATIO_LIMIT, prefixesOf, repeated } from '../support/growth.js';

const LINEAR_LIMIT = LINEAR_RATIO_LIMIT;

function emptyDom(text = ''): DomFeatures {
  return {
    title: '', structure: new MapFamily(new Map()), text: new MapFamily(new Map()), resources: new MapFamily(new Map()), linkedHosts: new Set(), hrefs: [], hrefHosts: [], metas: [],
    canonicalHref: null, logoTexts: [], elementCount: 100, visibleTextChars: text.length, visibleText: text, copyrightSigns: new CopyrightSigns(text), truncated: false,
  };
}

/** Strings each pattern family matches: every prefix of each is repeated to build a hostile page. */
const SCANNERS: Array<{ name: string; run: (text: string) => unknown; witnesses: string[]; n: number }> = [
  {
    name: 'the one pass over the markup',
    run: (t) => extractDomFeatures(t),
    witnesses: ['<a href="x">', '<!-- c -->', '<div></b>', '<div></body>', '<script>x</script>', '<a/>', '<!doctype html>', '<?xml ?>', '<p title=\'a>b\'>', '<i a=1 b=2>'],
    n: 16 * 1024,
  },
  {
    name: 'identifier patterns',
    run: (t) => extractIdentifiers(scanRawText(t), emptyDom()),
    witnesses: [
      'UA-123456-1 ', "gtag('config', 'G-ABCDEF12')", 'gtag/js?id=G-ABCDEF12', 'GTM-ABCD12 ', 'AW-1234567 ', 'ca-pub-1234567890 ',
      'mc.yandex.ru/watch/123456', 'ym(123456', 'yaCounter123456', "Histats.start', '1,4567890", 'histats.com/x?12345678 ',
      'liveinternet.ru/click;abc', "fbq('init', '1234567')", 'sc_project=123456', 'clicky_site_ids.push(1234567)',
      `data-cf-beacon='{"token": "0123456789abcdef0123456789abcdef"`, 'data-cf-beacon="{&quot;token&quot;: &quot;0123456789abcdef0123456789abcdef',
      "setSiteId', '1']); u='https://m/'", 'magnet:?xt=urn:btih:abcdefabcdefabcdefab&tr=udp://t.example:80',
    ],
    n: 16 * 1024,
  },
  {
    name: 'donation addresses',
    run: (t) => findDonationAddresses(scanRawText(t)),
    witnesses: ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT ', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq ', '0x52908400098527886E0F7030069857D2E4169EE7 donate '],
    n: 16 * 1024,
  },
  {
    name: 'page-kind phrases and copyright names',
    run: (t) => classifyPage({ text: t, bytes: null }, emptyDom(t), scanRawText(t)),
    witnesses: ['domain is parked ', 'domaine abc def à vendre ', 'this domain may be for sale ', 'checking your browser before accessing ', '© 2020 - 2024 Brand '],
    n: 16 * 1024,
  },
  {
    name: 'client-side redirect hints',
    run: (t) => findRedirectHint(t, 'http://a.test/'),
    witnesses: ['<meta http-equiv="refresh" content="0; url=http://b.test/">', '<script>window.location.href = "http://b.test/"</script>'],
    n: 16 * 1024,
  },
  {
    name: 'charset sniffing',
    run: (t) => {
      detectCharset(Buffer.from(t, 'latin1'), null, true);
      return decodeBody(t);
    },
    witnesses: ['<meta charset="utf-8">', '<meta http-equiv="content-type" content="text/html; charset=windows-1251">'],
    n: 16 * 1024,
  },
  {
    name: 'host names in page text (discovery harvest)',
    run: (t) => hostsInText(t, 5000),
    witnesses: ['a.a.a.a.1', 'new-mirror.example.com ', 'x-y.z-w.'],
    n: 16 * 1024,
  },
];

describe('every pattern on page content runs in linear time', () => {
  for (const scanner of SCANNERS) {
    it(`${scanner.name}: repeated prefixes of every pattern grow linearly`, () => {
      const superLinear: string[] = [];
      for (const unit of prefixesOf(scanner.witnesses)) {
        const ratio = growthRatio(scanner.run, unit, scanner.n, { minMs: 2, limit: LINEAR_LIMIT });
        if (ratio >= LINEAR_LIMIT) superLinear.push(`${JSON.stringify(unit)}: x${ratio.toFixed(1)} for x${GROWTH_FACTOR} input`);
      }
      expect(superLinear).toEqual([]);
    }, 180_000);
  }

  it.each([
    ['<a', '<a'],
    ['<!--', '<!--'],
    ['<div></b>', '<div></b>'],
    ['histats.com/', 'histats.com/'],
    ["data-cf-beacon='{", "data-cf-beacon='{"],
    ['unique attributes on one tag', null],
  ])('the whole fingerprint of a page of %s grows linearly', (_name, unit) => {
    const page = (chars: number): string => {
      if (unit !== null) return `<html><body>${repeated(unit, chars)}</body></html>`;
      const attrs: string[] = [];
      for (let i = 0, size = 0; size < chars; i++) {
        const a = ` a${i}="1"`;
        attrs.push(a);
        size += a.length;
      }
      return `<html><body><div${attrs.join('')}>x</div></body></html>`;
    };
    const ratio = inputGrowthRatio((html) => fingerprintPage({ body: html }), page(32 * 1024), page(GROWTH_FACTOR * 32 * 1024), { minMs: 20 });
    expect(ratio).toBeLessThan(LINEAR_LIMIT);
  }, 60_000);
});
