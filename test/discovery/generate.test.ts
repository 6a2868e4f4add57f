import { describe, expect, it } from 'vitest';
import { generateCandidates } from '../../src/discovery/generate.js';
import { learnKnowledge } from '../../src/discovery/knowledge.js';
import { numberAfter } from '../../src/discovery/sources/affix.js';
import { fixtureHistory } from './fixtures.js';

describe('candidate generation', () => {
  const knowledge = learnKnowledge(fixtureHistory());

  it('never proposes a known domain (with or without www.)', () => {
    const candidates = generateCandidates(knowledge, 20_000);
    for (const c of candidates) expect(knowledge.known.has(c.domain)).toBe(false);
    expect(candidates.some((c) => c.domain === 'betatorrent.io' || c.domain === 'www.betatorrent.io')).toBe(false);
  });

  it('respects the budget', () => {
    expect(generateCandidates(knowledge, 1)).toHaveLength(1);
    expect(generateCandidates(knowledge, 777)).toHaveLength(777);
  });

  it('is deterministic, and a smaller budget is a prefix of a larger one', () => {
    const a = generateCandidates(knowledge, 5000);
    const b = generateCandidates(learnKnowledge(fixtureHistory()), 5000);
    expect(a).toEqual(b);
    expect(generateCandidates(knowledge, 500)).toEqual(a.slice(0, 500));
  });

  it('ranks in score order with a source and a reason on each', () => {
    const candidates = generateCandidates(knowledge, 2000);
    for (let i = 1; i < candidates.length; i += 1) expect(candidates[i]!.score).toBeLessThanOrEqual(candidates[i - 1]!.score);
    for (const c of candidates) {
      expect(c.reason.length).toBeGreaterThan(5);
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
  });

  it('follows the proxy to a TLD it has not used, with every brand it carries, within a small budget', () => {
    const top = generateCandidates(knowledge, 3000).map((c) => c.domain);
    const hopTld = 'xyz'; // used by the history (alphaseed2.xyz), not yet by the proxy
    expect(top).toContain(`hopproxy.${hopTld}`);
    expect(top).toContain(`alphaseed.hopproxy.${hopTld}`);
    expect(top).toContain(`betatorrent.hopproxy.${hopTld}`);
    expect(top.some((d) => d.endsWith('.hopproxy.pro') && d.startsWith('alphaseed.'))).toBe(false);
  });

  it('when a brand appears on a new base domain, proposes the other brands there first', () => {
    const k = learnKnowledge(fixtureHistory({ 'alphaseed-late.txt': '2021-06-20 alphaseed.hopproxy.lol alphaseed' }));
    const first = generateCandidates(k, 5);
    expect(first[0]).toMatchObject({ domain: 'betatorrent.hopproxy.lol', source: 'proxy-spread', site: 'betatorrent' });
    expect(first.map((c) => c.domain)).toContain('hopproxy.lol');
  });

  it('proposes the brand on other TLDs and with learned affixes', () => {
    const all = generateCandidates(knowledge, 100_000);
    expect(all.find((c) => c.domain === 'betatorrent.cc')?.source).toBe('tld-swap');
    expect(all.find((c) => c.domain === 'betatorrent2.xyz')?.source).toBe('affix');
  });

  // speed is measured in bench/ (and `candidates` figures in docs/discovery.md), never asserted here
  it('fills a budget of 100,000 with distinct candidates, best first', () => {
    const list = generateCandidates(knowledge, 100_000);
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(100_000);
    expect(new Set(list.map((c) => c.domain)).size).toBe(list.length);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.score).toBeGreaterThanOrEqual(list[i]!.score);
  });
});

describe('numbered subdomains', () => {
  it('counts on from the number a site has, rather than back to the small numbers', () => {
    const after = numberAfter(14, [{ text: '1', weight: 0.3 }, { text: '2', weight: 0.2 }, { text: '10', weight: 0.1 }]);
    const rank = (n: string) => after.findIndex((d) => d.text === n);
    expect(rank('15')).toBeLessThan(rank('2'));
    expect(rank('16')).toBeLessThan(rank('19'));
    expect(rank('1')).toBeGreaterThanOrEqual(0); // the learned digits still count
    const k = learnKnowledge(fixtureHistory({ 'gammabay.txt': '2021-06-01 gb7.hopproxy.win' }));
    const names = generateCandidates(k, 50_000).map((c) => c.domain);
    expect(names.indexOf('gb8.hopproxy.win')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('gb8.hopproxy.win')).toBeLessThan(names.indexOf('gb3.hopproxy.win') >>> 0);
  });
});

describe('proxy hops', () => {
  it('takes every label a site uses on the proxy to its next TLD, not only the latest one', () => {
    const k = learnKnowledge(fixtureHistory({ 'mirrors.txt': '2021-05-01 alphamirror.hopproxy.one alphaseed\n2021-06-01 alphamirror.hopproxy.win alphaseed' }));
    const top = generateCandidates(k, 5000);
    const mirror = top.find((c) => c.domain === 'alphamirror.hopproxy.xyz');
    expect(mirror).toMatchObject({ source: 'proxy-hop', site: 'alphaseed' });
    expect(top.map((c) => c.domain)).toContain('alphaseed.hopproxy.xyz');
  });
});
