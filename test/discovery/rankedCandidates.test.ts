import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { feedSources, generateCandidates, rankCandidates } from '../../src/discovery/generate.js';
import { learnKnowledge } from '../../src/discovery/knowledge.js';
import { RankedCandidates } from '../../src/discovery/rankedCandidates.js';
import type { Candidate } from '../../src/discovery/types.js';
import { seededRandom } from '../fixtures/ctWorkload.js';
import { fixtureHistory } from './fixtures.js';
import { RankedCandidatesV0 } from './rankedCandidatesV0.js';

/** What `hopwatch candidates --json` prints for these candidates, hashed. */
function md5Of(candidates: readonly Candidate[]): string {
  const text = candidates.map((c) => `${JSON.stringify({ domain: c.domain, site: c.site, source: c.source, reason: c.reason, score: c.score })}\n`).join('');
  return createHash('md5').update(text).digest('hex');
}

describe('the bounded ranking', () => {
  it('gives byte for byte the output of the former ranking, for the fixture history at several budgets', () => {
    for (const asOf of [undefined, '2021-05-15']) {
      const knowledge = learnKnowledge(fixtureHistory(), asOf === undefined ? {} : { asOf });
      for (const budget of [1, 7, 300, 5000, 20_000]) {
        const before = new RankedCandidatesV0(budget, knowledge.known);
        feedSources(knowledge, before);
        const expected = before.result();
        const after = generateCandidates(knowledge, budget);
        expect(after).toHaveLength(expected.length);
        expect(md5Of(after), `budget ${budget}, as of ${asOf}`).toBe(md5Of(expected));
      }
    }
  });

  it('keeps the best score per domain, ties by name, on random input, as the former ranking does', () => {
    const rnd = seededRandom(21);
    for (const budget of [1, 3, 50]) {
      const known = new Set(['known.example']);
      const before = new RankedCandidatesV0(budget, known);
      const after = new RankedCandidates(budget, known);
      for (let i = 0; i < 3000; i++) {
        const domain = i % 97 === 0 ? 'known.example' : i % 101 === 0 ? 'bad_name.example' : `d${Math.floor(rnd() * 400)}.example`;
        // coarse scores, so that ties are common
        const score = Math.floor(rnd() * 20) / 4;
        const reason = `call ${i}`;
        for (const sink of [before, after]) if (sink.wants(score)) sink.add(domain, `site${i % 3}`, i % 2 ? 'affix' : 'tld-swap', score, () => reason);
      }
      expect(after.result()).toEqual(before.result());
    }
  });

  it('without reasons, ranks the same domains in the same order', () => {
    const knowledge = learnKnowledge(fixtureHistory());
    const plain = [...rankCandidates(knowledge, 2000, { reasons: false }).ranked()];
    const full = generateCandidates(knowledge, 2000);
    expect(plain.map((c) => [c.domain, c.site, c.source, c.score])).toEqual(full.map((c) => [c.domain, c.site, c.source, c.score]));
    expect(plain.every((c) => c.reason === '')).toBe(true);
  });
});
