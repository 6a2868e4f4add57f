import { describe, expect, it } from 'vitest';
import { classifyAddress, refusal } from '../../src/crawler/addressGuard.js';
import { parseConnectToRule, parseResolveRule, applyConnectTo, applyResolveRules } from '../../src/crawler/hostResolution.js';

const strict = { allowPrivate: false, allowAddresses: [] };

describe('the SSRF guard classifies addresses', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.2.3.4', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.5', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['2606:4700::1111', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::10.0.0.1', 'ipv4-embedded'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'ipv4-embedded'],
    ['2002:0808:0808::1', 'public'],
    ['2001:0:4136:e378::1', 'ipv4-embedded'],
    ['2001:db8::1', 'documentation'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['[::1]', 'loopback'],
    ['4000::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('WHATWG URL parsing turns decimal, octal and hex hosts into a dotted quad the guard refuses', () => {
    for (const literal of ['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/', 'http://0x7f000001/']) {
      const host = new URL(literal).hostname;
      expect(host).toBe('127.0.0.1');
      expect(refusal(strict, host, 80)).toBe('loopback');
    }
  });

  it('allows an exact allow-listed address and port, and nothing next to it', () => {
    const policy = { allowPrivate: false, allowAddresses: [{ address: '127.0.0.1', port: 8443 }] };
    expect(refusal(policy, '127.0.0.1', 8443)).toBeNull();
    expect(refusal(policy, '127.0.0.1', 8444)).toBe('loopback');
    expect(refusal(policy, '127.0.0.2', 8443)).toBe('loopback');
    expect(refusal({ allowPrivate: true, allowAddresses: [] }, '10.0.0.1', 80)).toBeNull();
    expect(refusal({ allowPrivate: true, allowAddresses: [] }, 'garbage', 80)).toBe('invalid');
  });
});

describe('curl-style overrides', () => {
  it('parses --resolve and matches HOST or *', () => {
    const rules = [parseResolveRule('a.test:443:127.0.0.1'), parseResolveRule('*:80:[::1],127.0.0.1')];
    expect(applyResolveRules(rules, 'a.test', 443)).toEqual(['127.0.0.1']);
    expect(applyResolveRules(rules, 'b.test', 80)).toEqual(['::1', '127.0.0.1']);
    expect(applyResolveRules(rules, 'b.test', 443)).toBeUndefined();
    expect(() => parseResolveRule('a.test:443:not-ip')).toThrow(/not an IP/);
    expect(() => parseResolveRule('a.test:99999:127.0.0.1')).toThrow(/port/);
  });

  it('parses --connect-to with empty and wildcard parts', () => {
    const rules = [parseConnectToRule('refused.test:::9'), parseConnectToRule('*.test:443::8443'), parseConnectToRule('::[::1]:8080')];
    expect(applyConnectTo(rules, 'refused.test', 443)).toEqual({ host: 'refused.test', port: 9 });
    expect(applyConnectTo(rules, 'a.test', 443)).toEqual({ host: 'a.test', port: 8443 });
    expect(applyConnectTo(rules, 'a.example', 80)).toEqual({ host: '::1', port: 8080 });
    expect(() => parseConnectToRule('nonsense')).toThrow(/HOST1:PORT1:HOST2:PORT2/);
  });
});
