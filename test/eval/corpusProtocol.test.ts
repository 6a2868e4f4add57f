import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, splitCorpus, type Candidate, type CorpusPage, type Truth } from '../../eval/corpusProtocol.js';
import { evaluateCorpus } from '../../eval/corpusEval.js';
import { scoreDetector, sweepThresholds } from '../../eval/metrics.js';
import { normaliseHtmlLikeDnstwist, popcount32 } from '../../eval/baselines.js';

const HEADER = 'local_path\tsite\tdomain_seen\tpage_type\tsource_repo\tsource_path\tcommit\tbytes\tsaved_date\tsha1\tnotes';

/** A tiny corpus: [local_path, site, page_type, saved_date, source_path]. */
const ROWS: Array<[string, string, string, string, string]> = [
  ['alpha/x__list__1.html', 'alpha', 'list', 'Mon, 02 Jan 2017 10:00:00 GMT (HTTP Date header)', 'a.yaml'],
  ['alpha/x__search__1.html', 'alpha', 'search', '<= 2017-01-02T22:00:00-01:00 (commit)', 'b.html'], // 23:00Z, same UTC day
  ['alpha/x__list__2.html', 'alpha', 'list', 'Tue, 06 Mar 2018 10:00:00 GMT', 'a.yaml'],
  ['alpha/x__detail__1.html', 'alpha', 'detail', '~2019', 'c.html'],
  ['beta/y__list__1.html', 'beta', 'list', '<= 2016-05-05', 'd.html'], // one page: unknown torrent site
  ['gamma/z__home__1.html', 'gamma', 'home', '<= 2016-01-01', 'e.html'],
  ['gamma/z__home__2.html', 'gamma', 'home', '<= 2016-01-01', 'f.html'], // same day: both references
  ['neg_cloudflare/cf__other__1.html', 'neg_cloudflare', 'other', 'date in filename', 'js_challenge-27-05-2020.html'],
  ['neg_ordinary/o__detail__1.html', 'neg_ordinary', 'detail', '<= 2016-10-28T10:59:56+01:00', 'g.html'],
  ['neg_default_server/n__home__1.html', 'neg_default_server', 'home', 'n/a (shipped default)', ''],
  ['neg_parked/p__home__1.html', 'neg_parked', 'home', '~2018-03', ''],
  ['neg_parked/empty__home__1.html', 'neg_parked', 'home', '~2018-03', ''],
  ['neg_parked/binary__home__1.html', 'neg_parked', 'home', '~2018-03', ''],
];

function manifestText(): string {
  const lines = ROWS.map(([path, site, type, date, source]) => [path, site, `${site}.example`, type, 'some/repo', source, 'c0ffee', '100', date, 'abc', '"""quoted"" note"'].join('\t'));
  return `${[HEADER, ...lines].join('\n')}\n`;
}

function listingPage(brand: string, rows: number, seed: number): string {
  const items = Array.from({ length: rows }, (_, i) => `<tr class="row"><td class="name"><a href="/t/${seed * 100 + i}">Release ${seed}-${i} 1080p</a></td><td class="size">${i + 1} GB</td></tr>`).join('\n');
  return `<!DOCTYPE html><html><head><title>${brand} - torrents</title><script src="/js/${brand}.js"></script></head><body>
<div id="header"><a class="logo" href="/">${brand}</a><form action="/search"><input name="q"></form></div>
<ul class="menu"><li><a href="/movies">Movies</a></li><li><a href="/tv">TV</a></li></ul>
<table class="results">${items}</table><div class="footer">${brand} does not host files. Contact / DMCA</div></body></html>`;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hopwatch-eval-'));
  await writeFile(join(dir, 'MANIFEST.tsv'), manifestText());
  for (const [path, site] of ROWS) {
    await mkdir(join(dir, site), { recursive: true });
    let body: Uint8Array | string = listingPage(site, 30, path.length);
    if (path.includes('empty')) body = '';
    if (path.includes('binary')) body = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256);
    if (site === 'neg_cloudflare') body = '<html><head><title>Just a moment...</title></head><body><div id="cf-wrapper">Checking your browser before accessing</div></body></html>';
    await writeFile(join(dir, path), body);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('corpus protocol: references and candidates', () => {
  const split = () => splitCorpus(parseManifest(manifestText()));

  it("takes a site's pages on its earliest UTC day as references, both page types", () => {
    const refs = split().references.map((p) => p.localPath);
    expect(refs).toEqual(['alpha/x__list__1.html', 'alpha/x__search__1.html', 'gamma/z__home__1.html', 'gamma/z__home__2.html']);
    const alpha = split().referencedSites.find((s) => s.site === 'alpha');
    expect(alpha).toEqual({ site: 'alpha', referenceDay: '2017-01-02', referencePageTypes: ['list', 'search'], referenceCount: 2 });
  });

  it('makes later pages positives, same-type only when the type is among the reference types', () => {
    const truths = Object.fromEntries(split().candidates.map((c) => [c.page.localPath, c.truth]));
    expect(truths['alpha/x__list__2.html']).toEqual({ kind: 'positive', site: 'alpha', sameType: true });
    expect(truths['alpha/x__detail__1.html']).toEqual({ kind: 'positive', site: 'alpha', sameType: false });
  });

  it('makes a one-page torrent site an unknown-torrent negative and classes neg_* folders', () => {
    const s = split();
    expect(s.unreferencedSites).toEqual(['beta']);
    const truths = Object.fromEntries(s.candidates.map((c) => [c.page.localPath, c.truth]));
    expect(truths['beta/y__list__1.html']).toEqual({ kind: 'negative', negativeClass: 'unknown-torrent' });
    expect(truths['neg_ordinary/o__detail__1.html']).toEqual({ kind: 'negative', negativeClass: 'ordinary' });
    for (const p of ['neg_cloudflare/cf__other__1.html', 'neg_default_server/n__home__1.html', 'neg_parked/p__home__1.html']) {
      expect(truths[p]).toEqual({ kind: 'negative', negativeClass: 'challenge-parked-default' });
    }
    expect(s.candidates).toHaveLength(ROWS.length - 4);
  });

  it('reads quoted manifest fields and splits domain_seen', () => {
    const [first] = parseManifest(manifestText());
    expect(first?.notes).toBe('"quoted" note');
    expect(first?.domainsSeen).toEqual(['alpha.example']);
  });
});

function candidate(site: string, truth: Truth): Candidate {
  return { page: { localPath: `${site}/page.html` } as CorpusPage, truth };
}

describe('corpus protocol: metric arithmetic', () => {
  const candidates: Candidate[] = [
    candidate('a1', { kind: 'positive', site: 'A', sameType: true }),
    candidate('a2', { kind: 'positive', site: 'A', sameType: false }),
    candidate('b1', { kind: 'positive', site: 'B', sameType: true }),
    candidate('n1', { kind: 'negative', negativeClass: 'challenge-parked-default' }),
    candidate('n2', { kind: 'negative', negativeClass: 'ordinary' }),
    candidate('n3', { kind: 'negative', negativeClass: 'unknown-torrent' }),
  ];

  it('counts right claims, wrong-site claims and false matches by class', () => {
    const s = scoreDetector(candidates, ['A', null, 'A', null, 'A', null]);
    expect(s.all).toMatchObject({ positives: 3, claims: 3, truePositives: 1 });
    expect(s.all.precision).toBeCloseTo(1 / 3);
    expect(s.all.recall).toBeCloseTo(1 / 3);
    expect(s.all.f1).toBeCloseTo(1 / 3);
    // same type: positives a1, b1; claims on them (2) plus on negatives (1); a2 left out
    expect(s.sameType).toMatchObject({ positives: 2, claims: 3, truePositives: 1 });
    expect(s.sameType.recall).toBeCloseTo(0.5);
    expect(s.sameType.f1).toBeCloseTo(0.4);
    expect(s.falseMatches.ordinary).toMatchObject({ count: 1, of: 1 });
    expect(s.falseMatches['challenge-parked-default']).toMatchObject({ count: 0, of: 1 });
    expect(s.falseMatches.total).toMatchObject({ count: 1, of: 3 });
    expect(s.wrongSite).toMatchObject({ count: 1, of: 3, pages: ['b1/page.html → A'] });
  });

  it('gives no precision and F1 0 to a detector that never claims', () => {
    const s = scoreDetector(candidates, candidates.map(() => null));
    expect(s.all.precision).toBeNull();
    expect(s.all.f1).toBe(0);
    expect(s.falseMatches.total.count).toBe(0);
  });

  it('picks the oracle threshold with the best F1, the smallest on a tie', () => {
    const nearest = [
      { site: 'A', reference: 'r', distance: 2 },
      { site: 'A', reference: 'r', distance: 9 },
      { site: 'B', reference: 'r', distance: 5 },
      { site: 'A', reference: 'r', distance: 5 },
      null,
      { site: 'B', reference: 'r', distance: 20 },
    ];
    const { oracle, points } = sweepThresholds(candidates, nearest);
    expect(points.map((p) => p.threshold)).toEqual([-1, 2, 5, 9, 20]);
    // at 5: claims a1, b1, n1 → TP 2 of 3 positives, P 2/3, R 2/3; at 9: + a2 → P 3/4, R 1, F1 6/7
    expect(oracle.threshold).toBe(9);
    expect(oracle.scores.all.f1).toBeCloseTo(6 / 7);
  });
});

describe('baseline helpers', () => {
  it('popcount32 counts bits of unsigned and negative 32-bit values', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
  });

  it('normalises HTML like dnstwist: whitespace runs collapsed, link targets and url() emptied', () => {
    const html = new TextEncoder().encode('<a  HREF="/x?y=1"\n class="k">\t<img src="/i.png"><form action="/s"></form><div style="background:url(/bg.png)">');
    expect(normaliseHtmlLikeDnstwist(html)).toBe('<a HREF="" class="k"> <img src=""><form action=""></form><div style="background:url()">');
  });
});

describe('evaluateCorpus on a synthetic corpus', () => {
  it('runs hopwatch and both baselines over every candidate without crashing, empty and binary pages included', async () => {
    const report = await evaluateCorpus(dir);
    expect(report.protocol).toMatchObject({ references: 4, candidates: ROWS.length - 4, positives: 2, sameTypePositives: 1 });
    expect(report.protocol.negatives).toEqual({ 'challenge-parked-default': 5, ordinary: 1, 'unknown-torrent': 1 });
    expect(report.hopwatch).toHaveLength(ROWS.length - 4);
    expect(report.rows.map((r) => r.detector)).toEqual(['hopwatch', 'hopwatch', 'hopwatch (ablation)', ...Array(6).fill(expect.any(String))]);
    expect(report.protocols.map((p) => p.name)).toEqual(['earliest-day', 'temporal', 'cross-source']);
    for (const p of report.protocols) expect(p.hopwatch).toHaveLength(p.protocol.candidates);
    expect(report.unreadable).toEqual([]);
    const cloudflare = report.hopwatch.find((c) => c.candidate.startsWith('neg_cloudflare'));
    expect(cloudflare?.named).toBeNull();
    for (const row of report.rows) expect(row.scores.falseMatches['challenge-parked-default'].of).toBe(5);
  }, 60_000);
});
