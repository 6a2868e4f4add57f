import { describe, expect, it } from 'vitest';
import { ctCandidates, namesFromCtLine } from '../../src/discovery/ctNames.js';
import { harvestCandidates } from '../../src/discovery/harvest.js';
import { parseHistory } from '../../src/discovery/history.js';
import { learnKnowledge } from '../../src/discovery/knowledge.js';
import { fixtureHistory } from './fixtures.js';

const knowledge = learnKnowledge(fixtureHistory());

describe('Certificate Transparency names', () => {
  it('reads certstream JSON lines and plain name lists', () => {
    const certstream = JSON.stringify({ message_type: 'certificate_update', data: { leaf_cert: { all_domains: ['a.example', '*.b.example'] } } });
    expect(namesFromCtLine(certstream)).toEqual(['a.example', '*.b.example']);
    expect(namesFromCtLine('c.example, d.example  e.example')).toEqual(['c.example', 'd.example', 'e.example']);
    expect(namesFromCtLine('{not json')).toEqual([]);
  });

  it('keeps the names that carry a brand or sit on a proxy base, with the reason, and drops the rest', () => {
    const lines = [
      JSON.stringify({ data: { leaf_cert: { all_domains: ['alphaseed.hopproxy.lol', 'weather.example.com', '*.hopproxy.ink'] } } }),
      'betatorrent-mirror.site example.org',
      'alphaseed.to', // known
    ];
    const found = ctCandidates(lines, knowledge);
    expect(found.map((c) => c.domain)).toEqual(['alphaseed.hopproxy.lol', 'hopproxy.ink', 'betatorrent-mirror.site']);
    expect(found[0]).toMatchObject({ site: 'alphaseed', source: 'ct' });
    expect(found[1]!.reason).toContain('proxy base "hopproxy"');
    expect(found[2]!.reason).toContain('betatorrent');
  });
});

describe('harvest from a fetch', () => {
  it('takes redirect targets, certificate SANs, "new domain" notices and links to branded hosts', () => {
    const found = harvestCandidates(
      {
        requestedUrl: 'https://alphaseed.to/',
        redirects: ['https://alphaseed.to/', 'https://alphaseed-new.bond/'],
        finalUrl: 'https://alphaseed-new.bond/home',
        certificateSans: ['alphaseed.to', 'alphaseed.cfd'],
        linkedHosts: ['cdn.jsdelivr.net', 'betatorrent.hopproxy.sbs'],
        text: 'Our new domain is fresh-seeds.click - bookmark it! Also see google.com.',
      },
      knowledge,
    );
    const byDomain = new Map(found.map((c) => [c.domain, c]));
    expect(byDomain.get('alphaseed-new.bond')?.reason).toContain('redirect');
    expect(byDomain.get('alphaseed.cfd')?.reason).toContain('certificate');
    expect(byDomain.get('fresh-seeds.click')?.reason).toContain('new domain');
    expect(byDomain.get('betatorrent.hopproxy.sbs')?.site).toBe('betatorrent');
    expect(byDomain.has('cdn.jsdelivr.net')).toBe(false);
    expect(byDomain.has('google.com')).toBe(false);
    expect(byDomain.has('alphaseed.to')).toBe(false);
    for (const c of found) expect(c.source).toBe('harvest');
  });
});

describe('history lines', () => {
  it('reads DATE DOMAIN [SITE], the site defaulting to the file name', () => {
    expect(parseHistory('2021-01-01 Example.ORG\n\n# note\n2021-01-02 b.example other\n', 'dir/site-a.txt')).toEqual([
      { date: '2021-01-01', domain: 'example.org', site: 'site-a', origin: 'dir/site-a.txt:1' },
      { date: '2021-01-02', domain: 'b.example', site: 'other', origin: 'dir/site-a.txt:4' },
    ]);
  });

  it.each([
    ['2021-13-01 a.example', 'not a date'],
    ['2021-02-30 a.example', 'not a date'],
    ['2021-01-01 not_a host!', 'not a host name'],
    ['2021-01-01 -bad-.example', 'not a host name'],
    ['just-one-field', 'expected'],
  ])('refuses %s with file:line', (line, why) => {
    expect(() => parseHistory(`2021-01-01 ok.example\n${line}\n`, 'h.txt')).toThrowError(expect.objectContaining({ code: 'DISCOVERY_BAD_HISTORY_LINE', message: expect.stringContaining('h.txt:2') }));
    expect(() => parseHistory(line, 'h.txt')).toThrowError(why);
  });
});
