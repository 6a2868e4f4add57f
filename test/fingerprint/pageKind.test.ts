import { describe, expect, it } from 'vitest';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { DEFAULT_SERVER, DEFAULT_SERVER_GATE, PARKED_GATE, PARKED_PHRASES } from '../../src/fingerprint/pageKind.js';
import { challengePage, harborListing, nginxDefaultPage, parkedPage } from '../fixtures/pageFamily.js';

const kindOf = (body: string | Uint8Array, extra: { contentType?: string; status?: number } = {}) => fingerprintPage({ body, ...extra }).pageKind;

describe('page kind', () => {
  it('a content page is ok', () => {
    expect(kindOf(harborListing({ host: 'a.example', seed: 1 }))).toBe('ok');
  });

  it('recognises anti-bot interstitials by vendor markup and by wording', () => {
    expect(kindOf(challengePage({ host: 'a.example', seed: 1 }))).toBe('challenge');
    expect(kindOf('<html><head><title>DDoS-Guard</title></head><body><div id="ddos-guard">Checking your browser before accessing</div></body></html>')).toBe('challenge');
    expect(kindOf('<html><head><title>Just a moment...</title></head><body><p>Verify you are human by completing the action below.</p></body></html>')).toBe('challenge');
  });

  it('a challenge served with 403 or 503 is still a challenge, not an error', () => {
    expect(kindOf(challengePage({ host: 'a.example', seed: 1 }), { status: 503 })).toBe('challenge');
  });

  it('recognises parked and for-sale pages', () => {
    expect(kindOf(parkedPage({ host: 'a.example', seed: 1 }))).toBe('parked');
    expect(kindOf('<html><head><title>example.com</title></head><body><h1>Buy this domain</h1><p>The owner is accepting offers.</p></body></html>')).toBe('parked');
    expect(kindOf('<html><head><title>beispiel.de</title></head><body><h1>Diese Domain ist zu verkaufen</h1><p>Jetzt Angebot abgeben.</p></body></html>')).toBe('parked');
    expect(kindOf('<html><head><title>esempio.it</title></head><body><h1>Questo dominio è in vendita</h1></body></html>')).toBe('parked');
  });

  it('recognises web server default pages', () => {
    expect(kindOf(nginxDefaultPage())).toBe('default-server');
    expect(kindOf('<html><head><title>Apache2 Debian Default Page: It works</title></head><body><p>It works!</p></body></html>')).toBe('default-server');
    expect(kindOf('<html><head><title>IIS Windows Server</title></head><body><img src="iisstart.png"></body></html>')).toBe('default-server');
  });

  it('a gate passes every text its phrases match', () => {
    // texts made of the phrases' own words, in any case and spacing: the phrases match many of
    // them, and wherever one does, its gate (a cheaper test run first) must pass too
    // each alternative of the phrases spelt out once (optional parts both ways where they differ)
    const phrases = [
      'this site is parked', 'domain parked', 'domain name has expired', 'this domain has expired', 'domain is expired and', 'domain expired and',
      'this domain may be for sale', 'this domain name is for sale', 'buy this domain', 'domain for sale', 'domain is for sale',
      'make an offer on this domain', 'inquire about this domain', 'this domain has just been registered', 'this domain has been registered',
      'domain name has been registered at', 'domain name registered with', 'domain name registered by', 'parking page', 'the domain owner may',
      'the domain owner might', 'get this domain', 'parked free', 'parked domain', 'parked by', 'domain zu verkaufen', 'domain ist jetzt zu verkaufen',
      'domaine à vendre', 'dominio in vendita', 'dominio en venta', 'domein te koop', 'domain kaufen', 'domaine à acheter',
      'welcome to nginx', 'faithfully yours, nginx', 'apache2 debian default page', 'apache ubuntu default page', 'apache default page',
      'test page for the apache', 'test page for apache', 'it works! </h1>', 'it works!</h1>', '<h1>it works!', 'iis windows server',
      'internet information services', 'welcome to iis', 'iisstart', 'caddy works!', 'congratulations! your website is up and running',
      'congratulations! your site is up and running', 'welcome to openresty', 'welcome to centos', 'welcome to fedora', 'welcome to red hat',
      'test page for the nginx', 'test page for http server', 'default web site page', 'plesk default page', 'cpanel default page',
      "web server's default page", 'this is the default page', 'this is the default welcome page', 'index of /',
    ];
    const words = phrases.join(' ').split(/\s+/);
    let seed = 11;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const spaces = [' ', ' ', ' ', '  ', '\n', '\t'];
    const matched = { parked: 0, defaultServer: 0 };
    for (let k = 0; k < 30_000; k++) {
      // a third of the texts hold a phrase; all are words of the phrases in any order
      let text = next(3) === 0 ? phrases[next(phrases.length)]! : '';
      for (let w = 1 + next(6); w > 0; w--) {
        let word = words[next(words.length)]!;
        if (next(4) === 0) word = word.toUpperCase();
        else if (next(4) === 0) word = word[0]!.toUpperCase() + word.slice(1);
        const space = spaces[next(spaces.length)]!;
        text = next(2) === 0 ? text + space + word : word + space + text;
      }
      if (next(4) === 0) text = text.toUpperCase();
      if (PARKED_PHRASES.test(text)) {
        matched.parked++;
        expect(PARKED_GATE.test(text), text).toBe(true);
      }
      if (DEFAULT_SERVER.some(([re]) => re.test(text))) {
        matched.defaultServer++;
        expect(DEFAULT_SERVER_GATE.test(text), text).toBe(true);
      }
    }
    expect(matched.parked).toBeGreaterThan(500);
    expect(matched.defaultServer).toBeGreaterThan(500);
  });

  it('HTTP errors and error titles are errors', () => {
    expect(kindOf(harborListing({ host: 'a.example', seed: 1 }), { status: 404 })).toBe('error');
    expect(kindOf('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>')).toBe('error');
    expect(kindOf('<html><head><title>451 Unavailable For Legal Reasons</title></head><body>blocked</body></html>')).toBe('error');
  });

  it('nothing there is empty', () => {
    expect(kindOf('')).toBe('empty');
    expect(kindOf('   \n ')).toBe('empty');
    expect(kindOf('<html><body></body></html>')).toBe('empty');
  });

  it('binary, non-HTML types and markup-less text are not-html', () => {
    expect(kindOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe('not-html');
    expect(kindOf('{"a":1}', { contentType: 'application/json' })).toBe('not-html');
    expect(kindOf('just some words and no markup at all')).toBe('not-html');
  });

  it('a page nested 200,000 elements deep is fingerprinted within the element bound, without a stack overflow', () => {
    const deep = `<html><body>${'<div>'.repeat(200_000)}x${'</div>'.repeat(200_000)}</body></html>`;
    const fp = fingerprintPage({ body: deep });
    expect(fp.pageKindReason).toContain('page cut at');
  });
});
