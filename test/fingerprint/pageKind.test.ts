import { describe, expect, it } from 'vitest';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
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
