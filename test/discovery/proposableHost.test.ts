import { describe, expect, it } from 'vitest';
import { isProposableHost } from '../../src/discovery/proposableHost.js';

describe('which hosts may be proposed as candidates', () => {
  it('accepts registered-looking names, test-network names included', () => {
    for (const host of ['example.org', 'sub.example.co.uk', 'mirror-two.test.', 'xn--bcher-kva.example', '1337x.to', 'a_b.example.com']) {
      expect(isProposableHost(host), host).toBe(true);
    }
  });

  it('refuses every address notation and local-only name', () => {
    const refused = [
      '169.254.169.254', '127.0.0.1', '127.1', '2130706433', '0x7f000001', '0x7f.0x0.0x0.0x1', '0177.0.0.1', '10.0.0.1',
      '::ffff:7f00:1', '[::1]', '::1', 'localhost', 'foo.localhost', 'printer.local', 'metadata.google.internal',
      '1.0.0.127.in-addr.arpa', 'router.home.arpa', 'x.invalid',
    ];
    for (const host of refused) expect(isProposableHost(host), host).toBe(false);
  });

  it('refuses names that are not valid host names', () => {
    const refused = ['', 'single', 'a..b', `${'a'.repeat(64)}.com`, `${'abc.'.repeat(65)}com`, '-lead.com', 'trail-.com', 'sp ace.com', 'not a domain!!', 'a/b.com', 'user@host.com'];
    for (const host of refused) expect(isProposableHost(host), host).toBe(false);
  });
});
