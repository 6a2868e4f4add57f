import { describe, expect, it } from 'vitest';
import { checkUrls, displayInput, parseDomainInput, showHost } from '../../src/check/domainInput.js';

function ok(text: string, allowIpLiteral = false) {
  const r = parseDomainInput(text, { allowIpLiteral });
  if (!r.ok) throw new Error(`${text} refused: ${r.reason}`);
  return r;
}
function refused(text: string, allowIpLiteral = false) {
  const r = parseDomainInput(text, { allowIpLiteral });
  if (r.ok) throw new Error(`${text} accepted as ${r.host}`);
  expect(r.code).toBe('INPUT_INVALID_DOMAIN');
  return r;
}

describe('parseDomainInput', () => {
  it('normalises a bare name: lower case, no trailing dot, nothing after it', () => {
    expect(ok('Mirror-Two.Test.')).toMatchObject({ host: 'mirror-two.test', unicode: 'mirror-two.test', url: null, rest: '/' });
    expect(checkUrls(ok('mirror-two.test.'))).toEqual(['https://mirror-two.test/', 'http://mirror-two.test/']);
  });

  it('keeps the path and port of a bare name and of a URL, and drops a URL fragment', () => {
    expect(checkUrls(ok('splash.test/search/?q=1'))).toEqual(['https://splash.test/search/?q=1', 'http://splash.test/search/?q=1']);
    expect(checkUrls(ok('splash.test:8443'))).toEqual(['https://splash.test:8443/', 'http://splash.test:8443/']);
    const url = ok('HTTPS://Splash.Test./search/#top');
    expect(url.host).toBe('splash.test');
    expect(url.url?.href).toBe('https://splash.test/search/');
  });

  it('turns IDN into punycode once and shows both', () => {
    const r = ok('Пример.рф');
    expect(r.host).toBe('xn--e1afmkfd.xn--p1ai');
    expect(r.unicode).toBe('пример.рф');
    expect(showHost(r)).toBe('xn--e1afmkfd.xn--p1ai (пример.рф)');
    expect(ok('xn--e1afmkfd.xn--p1ai').unicode).toBe('пример.рф');
  });

  it('refuses other schemes and says which', () => {
    expect(refused('ftp://files.test/').reason).toContain('ftp:');
    expect(refused('file:///etc/passwd').reason).toContain('file:');
    expect(refused('javascript:alert(1)').reason).toContain('javascript:');
  });

  it('refuses credentials in a URL and never repeats them', () => {
    for (const text of ['https://admin:hunter2@mirror-one.test/', 'admin:hunter2@mirror-one.test', 'http://hunter2@mirror-one.test']) {
      const r = refused(text);
      expect(r.reason).toContain('credentials');
      expect(JSON.stringify(r)).not.toContain('hunter2');
    }
  });

  it('refuses IP literals in every notation unless the command allows them', () => {
    for (const text of ['127.0.0.1', 'http://2130706433/', '0x7f.0.0.1', 'http://[::ffff:7f00:1]/', '[::1]', '169.254.169.254']) {
      expect(refused(text).reason).toContain('IP address');
    }
    expect(ok('http://2130706433/x', true)).toMatchObject({ host: '127.0.0.1', ipLiteral: true });
    expect(checkUrls(ok('[::1]', true))).toEqual(['https://[::1]/', 'http://[::1]/']);
  });

  it('refuses names that are not host names', () => {
    const long = `${'a'.repeat(63)}.`.repeat(4) + 'test';
    for (const [text, why] of [
      ['a..b', 'empty label'],
      [`${'a'.repeat(64)}.test`, 'longer than 63'],
      [long, 'longer than 253'],
      ['-', 'not a host'],
      ['not a domain!!', 'spaces'],
      ['bad_domain!.test', 'characters'],
      ['-bad.test', 'starts or ends'],
      ['localhost', 'single label'],
      ['printer.local', 'local-only'],
      ['metadata.google.internal', 'local-only'],
      ['', 'empty'],
      ['https://', 'host'],
    ] as const) {
      expect(refused(text).reason, text).toContain(why);
    }
    expect(long.length).toBeGreaterThan(253);
  });

  it('never echoes control or binary bytes', () => {
    const r = refused('evil\u001b[31m.test\u0000');
    expect(r.display).not.toMatch(/[\u0000-\u001f]/);
    expect(displayInput('a\u0007b')).toBe('a\\x07b');
  });
});
