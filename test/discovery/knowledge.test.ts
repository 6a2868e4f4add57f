import { describe, expect, it } from 'vitest';
import { brandSites, learnKnowledge } from '../../src/discovery/knowledge.js';
import { registrableTlds } from '../../src/discovery/publicSuffixTlds.js';
import { fixtureHistory } from './fixtures.js';

describe('learning from a domain history', () => {
  const knowledge = learnKnowledge(fixtureHistory());

  it('learns a proxy base from two brands on it, and follows its TLD hops in date order', () => {
    const base = knowledge.bases.get('hopproxy')!;
    expect(base.isProxy).toBe(true);
    expect(base.domains.map((d) => d.registrable)).toEqual(['hopproxy.pro', 'hopproxy.one', 'hopproxy.win']);
    expect(base.domains.every((d) => d.bareListed)).toBe(true);
    expect([...base.domains.at(-1)!.brands.keys()].sort()).toEqual(['alphaseed', 'betatorrent']);
  });

  it('tells the proxy service from the sites it carries, by the data and not by its name', () => {
    expect(knowledge.sites.get('hopproxy')!.isProxyService).toBe(true);
    expect(brandSites(knowledge).map((s) => s.site)).toEqual(['alphaseed', 'betatorrent']);
    const renamed = learnKnowledge(fixtureHistory().map((e) => (e.site === 'hopproxy' ? { ...e, site: 'zz-list' } : e)));
    expect(renamed.sites.get('zz-list')!.isProxyService).toBe(true);
  });

  it('a base with one brand is not a proxy base', () => {
    const k = learnKnowledge(fixtureHistory({ 'gamma.txt': '2021-06-01 gamma.lonelyhost.net' }));
    expect(k.bases.get('lonelyhost')!.isProxy).toBe(false);
  });

  it('strips www. and keeps every known host', () => {
    expect(knowledge.known.has('betatorrent.io')).toBe(true);
    expect(knowledge.known.has('alphaseed.hopproxy.win')).toBe(true);
  });

  it('learns affixes from the history (a digit added)', () => {
    expect(knowledge.affixes.affixes.some((a) => a.prefix === '' && a.suffix === '#')).toBe(true);
  });

  it('ranks TLDs used in the history above unused ones of the same kind', () => {
    const ranked = knowledge.tldPrior.ranked;
    expect(ranked.indexOf('to')).toBeLessThan(ranked.indexOf('tk'));
    expect(new Set(ranked)).toEqual(new Set(registrableTlds()));
  });

  it('reads the TLDs from the public suffix list', () => {
    const tlds = registrableTlds();
    expect(tlds.length).toBeGreaterThan(1000);
    expect(tlds).toContain('com');
    expect(tlds).not.toContain('co.uk');
  });
});
