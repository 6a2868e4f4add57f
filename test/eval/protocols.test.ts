import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../eval/corpusProtocol.js';
import { splitCrossSource, splitTemporal } from '../../eval/protocols.js';

const HEADER = 'local_path\tsite\tdomain_seen\tpage_type\tsource_repo\tsource_path\tcommit\tbytes\tsaved_date\tsha1\tnotes';

/** [local_path, site, page_type, source_repo, saved_date] */
const ROWS: Array<[string, string, string, string, string]> = [
  ['s1/a__list__1.html', 's1', 'list', 'org/a', 'Tue, 01 Mar 2016 10:00:00 GMT'],
  ['s1/a__search__1.html', 's1', 'search', 'org/a', '<= 2016-11-01'],
  ['s1/b__list__1.html', 's1', 'list', 'org/b', '<= 2017-02-01'], // under a year after the last 2016 page
  ['s1/b__detail__1.html', 's1', 'detail', 'org/b', '~2018'],
  ['s2/a__home__1.html', 's2', 'home', 'org/a', '<= 2019-05-05'],
  ['s2/a__home__2.html', 's2', 'home', 'org/a', '<= 2021-05-05'],
  ['lonely/c__list__1.html', 'lonely', 'list', 'org/c', '<= 2018-01-01'],
  ['neg_ordinary/o__detail__1.html', 'neg_ordinary', 'detail', 'org/d', '<= 2016-10-28'],
];

const entries = parseManifest(`${[HEADER, ...ROWS.map(([p, site, type, repo, date]) => [p, site, `${site}.example`, type, repo, 'x', 'c0ffee', '1', date, 'abc', ''].join('\t'))].join('\n')}\n`);
const truthOf = (split: ReturnType<typeof splitTemporal>) => Object.fromEntries(split.candidates.map((c) => [c.page.localPath, c.truth]));

describe('temporal protocol', () => {
  const split = splitTemporal(entries);

  it("takes a site's pages of its earliest calendar year as references", () => {
    expect(split.references.map((p) => p.localPath)).toEqual(['s1/a__list__1.html', 's1/a__search__1.html', 's2/a__home__1.html']);
  });

  it('makes only pages saved at least 365 days after the latest reference candidates; the rest are left out', () => {
    const truths = truthOf(split);
    expect(truths['s1/b__detail__1.html']).toEqual({ kind: 'positive', site: 's1', sameType: false });
    expect(truths['s1/b__list__1.html']).toBeUndefined();
    expect(truths['s2/a__home__2.html']).toEqual({ kind: 'positive', site: 's2', sameType: true });
  });

  it('keeps one-page sites and neg_* folders as negatives', () => {
    const truths = truthOf(split);
    expect(truths['lonely/c__list__1.html']).toEqual({ kind: 'negative', negativeClass: 'unknown-torrent' });
    expect(truths['neg_ordinary/o__detail__1.html']).toEqual({ kind: 'negative', negativeClass: 'ordinary' });
    expect(split.unreferencedSites).toEqual(['lonely']);
  });
});

describe('cross-source protocol', () => {
  const split = splitCrossSource(entries);

  it("takes every page from the source of a site's earliest page as a reference, at any date", () => {
    expect(split.references.map((p) => p.localPath)).toEqual(['s1/a__list__1.html', 's1/a__search__1.html', 's2/a__home__1.html', 's2/a__home__2.html']);
  });

  it('makes pages from the other sources candidates', () => {
    const truths = truthOf(split);
    expect(truths['s1/b__list__1.html']).toEqual({ kind: 'positive', site: 's1', sameType: true });
    expect(truths['s1/b__detail__1.html']).toEqual({ kind: 'positive', site: 's1', sameType: false });
    expect(split.candidates.filter((c) => c.truth.kind === 'positive')).toHaveLength(2);
  });
});
