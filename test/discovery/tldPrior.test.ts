import { describe, expect, it } from 'vitest';
import { learnNoveltyRate, learnNoveltyTldPrior, learnTldPrior } from '../../src/discovery/tldPrior.js';

const TLDS = ['aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'abc', 'bcd', 'cde', 'longer'];

describe('the learned chance of a TLD nobody used', () => {
  it('is the smoothed share of moves that went to a fresh TLD', () => {
    expect(learnNoveltyRate([])).toBe(0.5);
    expect(learnNoveltyRate([{ tld: 'aa', novel: true }, { tld: 'bb', novel: true }, { tld: 'aa', novel: false }])).toBeCloseTo(3 / 5);
  });

  it('movers that always pick fresh TLDs put more weight on unused ones than movers that come back', () => {
    const usage = new Map([['aa', 2], ['bb', 1]]);
    const fresh = Array.from({ length: 8 }, (_, i) => ({ tld: TLDS[i % 3]!, novel: true }));
    const loyal = Array.from({ length: 8 }, () => ({ tld: 'aa', novel: false }));
    const unusedMass = (prior: ReturnType<typeof learnTldPrior>) => TLDS.filter((t) => !usage.has(t)).reduce((sum, t) => sum + prior.weight(t), 0);
    const hoppers = learnNoveltyTldPrior(usage, fresh, TLDS);
    const stayers = learnNoveltyTldPrior(usage, loyal, TLDS);
    expect(unusedMass(hoppers)).toBeCloseTo(0.9, 5);
    expect(unusedMass(stayers)).toBeCloseTo(0.1, 5);
    // used TLDs keep their order by use either way
    expect(stayers.ranked.slice(0, 2)).toEqual(['aa', 'bb']);
  });

  it('an unused TLD of the kind fresh picks were (two letters) ranks above one of a kind never picked', () => {
    const usage = new Map([['aa', 1], ['bb', 1]]);
    const picks = [{ tld: 'aa', novel: true }, { tld: 'bb', novel: true }];
    const prior = learnNoveltyTldPrior(usage, picks, TLDS);
    expect(prior.weight('cc')).toBeGreaterThan(prior.weight('longer'));
    const total = TLDS.reduce((sum, t) => sum + prior.weight(t), 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
  });
});
