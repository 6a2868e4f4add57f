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

const callReason = (call: string, attempt: string): string => `call ${call} (${attempt})`;
const plainReason = (what: string): string => what;

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
        // a different reason per call: the held one must be the call that won the domain's slot
        for (const sink of [before, after]) if (sink.wants(score)) sink.add(domain, `site${i % 3}`, i % 2 ? 'affix' : 'tld-swap', score, callReason, String(i), `try ${i % 7}`);
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

  it('keeps the reason of the call that holds the slot, through improvements and evictions', () => {
    const ranking = new RankedCandidates(2, new Set());
    ranking.add('a.example', 's', 'affix', 1, plainReason, 'a first');
    ranking.add('b.example', 's', 'affix', 2, plainReason, 'b first');
    ranking.add('a.example', 's', 'affix', 3, plainReason, 'a better'); // improves a in place
    ranking.add('a.example', 's', 'affix', 0.5, plainReason, 'a worse'); // ignored
    ranking.add('c.example', 's', 'affix', 4, plainReason, 'c evicts b'); // takes b's slot
    ranking.add('d.example', 's', 'affix', 2.5, plainReason, 'd too low'); // below the bar
    expect(ranking.result().map((c) => [c.domain, c.reason])).toEqual([
      ['c.example', 'c evicts b'],
      ['a.example', 'a better'],
    ]);
  });

  it('gives back non-ASCII reasons as they were given, in the format and in the parts', () => {
    const ranking = new RankedCandidates(10, new Set());
    const parts = ['thépiratebay', '海盗湾', 'ü…ß', '🏴\u200d☠️', ''];
    parts.forEach((part, i) => ranking.add(`n${i}.example`, 'site', 'affix', 10 - i, (p: string, q: string) => `«${p}» — ${q}…`, part, parts[(i + 1) % parts.length]!));
    expect(ranking.result().map((c) => c.reason)).toEqual(parts.map((p, i) => `«${p}» — ${parts[(i + 1) % parts.length]}…`));
  });

  it('refuses a reason format made afresh for every candidate (a source bug that would hold one per candidate)', () => {
    const ranking = new RankedCandidates(1000, new Set());
    expect(() => {
      for (let i = 0; i < 1000; i++) ranking.add(`n${i}.example`, 'site', 'affix', 1 + i, (p: string) => p, `reason ${i}`);
    }).toThrow(/reason formats/);
  });
});
