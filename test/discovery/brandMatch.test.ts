import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../../src/discovery/ahoCorasick.js';
import { brandMatcher } from '../../src/discovery/brandMatch.js';
import { ctCandidates, ctLineFilter, namesFromCtLine } from '../../src/discovery/ctNames.js';
import { brandSites, learnKnowledge, type DiscoveryKnowledge } from '../../src/discovery/knowledge.js';
import { certstreamLine, ctNameGenerator, seededRandom } from '../fixtures/ctWorkload.js';
import { brandMatcherV0 } from './ctFilterV0.js';
import { fixtureHistory } from './fixtures.js';

// the fixture's sites plus brands that overlap, a short one and a hyphenated one
const knowledge = learnKnowledge(
  fixtureHistory({
    'kat.txt': '2021-01-01 kat.cr\n2021-02-01 katcr.to\n2021-03-01 kat.hopproxy.pro',
    'seedbox.txt': '2021-01-01 seedbox.io\n2021-02-01 seed-box.net\n2021-03-01 alphaseedbox.to',
    'torrentalpha.txt': '2021-01-01 torrentalpha.org',
  }),
);

function labelsOf(k: DiscoveryKnowledge): { brands: string[]; proxies: string[] } {
  const brands = new Set<string>();
  for (const site of brandSites(k)) for (const l of [...site.ownLabels.keys(), ...site.subLabels.keys()]) brands.add(l);
  const proxies = [...k.bases.values()].filter((b) => b.isProxy).map((b) => b.label);
  return { brands: [...brands], proxies };
}

describe('the brand matcher', () => {
  it('flags exactly the names the previous matcher flagged, with the same site and reason', () => {
    const next = ctNameGenerator({ ...labelsOf(knowledge), brandShare: 0.4, seed: 7 });
    const before = brandMatcherV0(knowledge);
    const after = brandMatcher(knowledge);
    const reasons = new Map<string, number>();
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const name = next();
      const expected = before.match(name);
      expect(after.match(name), name).toEqual(expected);
      if (expected) {
        hits++;
        const kind = /as a label|on proxy base "|hyphen token|with an affix|inside|proxy base "/.exec(expected.reason)![0];
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }
    }
    // not a vacuous comparison: many hits, of every kind of reason
    expect(hits).toBeGreaterThan(2000);
    expect([...reasons.keys()].sort()).toEqual(['as a label', 'hyphen token', 'inside', 'on proxy base "', 'proxy base "', 'with an affix'].sort());
  });

  it('agrees with the previous matcher on hand-made edge cases', () => {
    const before = brandMatcherV0(knowledge);
    const after = brandMatcher(knowledge);
    const names = ['kat-alphaseed.to', 'xalphaseedbox.com', 'seed-box-kat.net', 'mykatalog.com', 'kat-x.com', 'x-kat.com', 'katcr1.io', 'torrentalphaseed.org', 'WWW.AlphaSeed.Example.', '*.hopproxy.co.uk', 'hopproxy.github.io', 'alphaseed.github.io', '127.0.0.1', '', 'kat', 'a.b.c.kat.hopproxy.lol', 'b\u00e9tatorrent.com', 'xn--btatorrent-d7a.com'];
    for (const name of names) expect(after.match(name), name).toEqual(before.match(name));
  });
});

describe('the automaton', () => {
  it('finds every occurrence a naive search finds', () => {
    const rnd = seededRandom(3);
    const word = (n: number) => Array.from({ length: n }, () => 'abc-'[Math.floor(rnd() * 4)]).join('');
    const patterns = Array.from({ length: 30 }, () => word(1 + Math.floor(rnd() * 4)));
    const ac = new AhoCorasick(patterns);
    for (let t = 0; t < 300; t++) {
      const text = word(Math.floor(rnd() * 20));
      const naive: string[] = [];
      for (let end = 1; end <= text.length; end++) patterns.forEach((p, id) => p.length <= end && text.startsWith(p, end - p.length) && naive.push(`${end}:${id}`));
      const found: string[] = [];
      ac.forEachOccurrence(text, 0, text.length, (id, start) => found.push(`${start + patterns[id]!.length}:${id}`));
      expect(found.sort()).toEqual(naive.sort());
      expect(ac.occursIn(text)).toBe(naive.length > 0);
    }
  });
});

describe('certstream lines', () => {
  it('reads the names of realistic certstream lines', () => {
    const next = ctNameGenerator({ ...labelsOf(knowledge), seed: 11 });
    for (let i = 0; i < 300; i++) {
      const names = Array.from({ length: 1 + (i % 5) }, next);
      expect(namesFromCtLine(certstreamLine(names, i))).toEqual(names);
    }
  });

  it.each([
    // JSON.parse decides: escapes are decoded, non-strings dropped, the last duplicate key wins
    ['{"data":{"leaf_cert":{"all_domains":["a.example","b\\u002eexample",7,null,"\\"q\\".example"]}}}', ['a.example', 'b.example', '"q".example']],
    ['{"data":{"leaf_cert":{"all_domains":["a.example"],"all_domains":["b.example"]}}}', ['b.example']],
    ['{"d\\u0061ta":{"leaf_cert":{"all_domains":["x.example"]}},"data":{"leaf_cert":{"all_domains":["a.example"]}}}', ['a.example']],
    // other shapes: domains of the leaf (not of the chain), a bare list, the subject's CN
    ['{"data":{"leaf_cert":{"domains":["x.example"]},"chain":[{"all_domains":["y.example"]}]}}', ['x.example']],
    ['{"all_domains":["top.example"]}', ['top.example']],
    ['{"data":{"leaf_cert":{"subject":{"CN":"cn.example"}}}}', ['cn.example']],
    ['["p.example", 3, "q.example"]', ['p.example', 'q.example']],
    ['"s.example"', ['s.example']],
    // broken or not a list of names: nothing
    ['{"data":{"leaf_cert":{"all_domains":"one.example"}}}', []],
    ['{"data":{"leaf_cert":{"all_domains":["a.example"]}}', []],
    ['{not json', []],
    ['# a comment', []],
    // plain lines: names split on spaces and commas
    ['plain.example, other.example  third.example', ['plain.example', 'other.example', 'third.example']],
  ])('reads %s as %j', (line, names) => {
    expect(namesFromCtLine(line)).toEqual(names);
  });

  it('a filter built once gives, line by line, what ctCandidates gives for each line', () => {
    const next = ctNameGenerator({ ...labelsOf(knowledge), brandShare: 0.3, seed: 5 });
    const filter = ctLineFilter(knowledge);
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const names = Array.from({ length: 1 + (i % 4) }, next);
      const line = i % 2 ? certstreamLine(names, i) : names.join(' ');
      const got = filter.line(line);
      found += got.length;
      expect(got).toEqual(ctCandidates([line], knowledge));
    }
    expect(found).toBeGreaterThan(20);
  });
});
