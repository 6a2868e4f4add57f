import { describe, expect, it } from 'vitest';
import { generateCandidates } from '../../src/discovery/generate.js';
import { parseHistory } from '../../src/discovery/history.js';
import { brandSites, learnKnowledge, moveRate } from '../../src/discovery/knowledge.js';
import { privateRuleCounts, registrableTlds } from '../../src/discovery/publicSuffixTlds.js';
import { learnTldPrior, mixTldPriors } from '../../src/discovery/tldPrior.js';
import { UNSEEN_BRAND_ON_BASE } from '../../src/discovery/sources/brandOnBase.js';
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

describe('learned rates', () => {
  it('counts a site moving many names on one day as one move (a bulk listing)', () => {
    const bulk = parseHistory(['2021-06-01 gamma.to', '2021-06-01 gamma.cc', '2021-06-01 gamma.io', '2021-06-01 gamma.me'].join('\n'), 'gamma.txt');
    const spread = parseHistory(['2021-03-01 gamma.to', '2021-04-01 gamma.cc', '2021-05-01 gamma.io', '2021-06-01 gamma.me'].join('\n'), 'gamma.txt');
    const one = parseHistory('2021-06-01 gamma.to', 'gamma.txt');
    const rate = (h: typeof bulk) => moveRate(learnKnowledge(h).sites.get('gamma')!, '2021-06-01');
    expect(rate(bulk)).toBeCloseTo(rate(one), 9);
    expect(rate(spread)).toBeGreaterThan(3 * rate(bulk));
  });

  it('keeps a site that moved regularly but has been quiet for a while due to move', () => {
    const regular = parseHistory(['2017-01-01 delta.to', '2018-01-01 delta.cc', '2019-01-01 delta.io', '2020-01-01 delta.me'].join('\n'), 'delta.txt');
    const site = learnKnowledge(regular).sites.get('delta')!;
    const quiet = moveRate(site, '2021-07-01'); // 18 months after its last move
    expect(quiet).toBeGreaterThan(0.2); // 4 moves in 4.5 years: ~0.44 per 180 days long-run, half of it kept
    expect(quiet).toBeLessThan(moveRate(site, '2020-01-02'));
  });

  it('learns how often a proxy picks up a brand it did not carry, from its hops', () => {
    // alphaseed and betatorrent ride every hop; gammabay (listed since January) never joins
    const never = learnKnowledge(fixtureHistory({ 'gammabay.txt': '2021-01-05 gammabay.to\n2021-02-05 gammabay.cc' }));
    // deltabay joins the proxy on its last hop
    const joins = learnKnowledge(fixtureHistory({ 'deltabay.txt': '2021-01-05 deltabay.to\n2021-06-01 deltabay.hopproxy.win' }));
    expect(never.brandJoinRate).toBeLessThan(UNSEEN_BRAND_ON_BASE);
    expect(joins.brandJoinRate).toBeGreaterThan(never.brandJoinRate);
    // a site first listed after a hop tells nothing about that hop
    const late = learnKnowledge(fixtureHistory({ 'gammabay.txt': '2021-06-10 gammabay.to' }));
    expect(late.brandJoinRate).toBeCloseTo(UNSEEN_BRAND_ON_BASE, 5);
    // and the learned rate sets where a brand the proxy never carried ranks on its next hop
    const top = generateCandidates(never, 20_000).map((c) => c.domain);
    const carried = top.indexOf('alphaseed.hopproxy.xyz');
    const stranger = top.indexOf('gammabay.hopproxy.xyz');
    expect(carried).toBeGreaterThanOrEqual(0);
    expect(stranger === -1 || stranger > carried).toBe(true);
  });
});

describe('TLD kinds', () => {
  it('reads how many private rules the public suffix list has under each TLD', () => {
    const counts = privateRuleCounts();
    expect(counts.get('com') ?? 0).toBeGreaterThan(10);
    expect([...counts.keys()].every((tld) => !tld.includes('.'))).toBe(true);
  });

  it('learns how much a marked kind of TLD is worth from the usage, and mixes priors softly', () => {
    const tlds = ['aa', 'bb', 'cc', 'dd'];
    const mark = (tld: string) => (tld === 'aa' || tld === 'bb' ? 'private' : '');
    const marked = learnTldPrior(new Map([['aa', 3]]), tlds, 1, mark);
    const plain = learnTldPrior(new Map([['aa', 3]]), tlds);
    // bb shares aa's kind, so it ranks above cc and dd, which it does not without the mark
    expect(marked.weight('bb')).toBeGreaterThan(marked.weight('cc'));
    expect(plain.weight('bb')).toBeCloseTo(plain.weight('cc'), 12);
    const mixed = mixTldPriors(marked, plain, 0.5);
    expect(mixed.ranked[0]).toBe('aa');
    expect(mixed.weight('bb')).toBeGreaterThan(mixed.weight('cc'));
    expect(mixed.weight('cc')).toBeGreaterThan(marked.weight('cc'));
    expect(tlds.reduce((sum, t) => sum + mixed.weight(t), 0)).toBeCloseTo(1, 9);
  });

  it('gives a site its own TLD prior, the proxies theirs', () => {
    const knowledge = learnKnowledge(fixtureHistory());
    expect(new Set(knowledge.siteTldPrior.ranked)).toEqual(new Set(knowledge.tldPrior.ranked));
    const withPrivate = knowledge.siteTldPrior.ranked.find((t) => !knowledge.known.has(`x.${t}`) && (privateRuleCounts().get(t) ?? 0) > 0 && t.length === 3);
    expect(withPrivate).toBeDefined();
  });
});
