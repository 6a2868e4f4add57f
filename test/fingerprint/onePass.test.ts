import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOM_LIMITS, extractDomFeatures } from '../../src/fingerprint/domFeatures.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { harborListing } from '../fixtures/pageFamily.js';

/** The one-pass fingerprint (htmlparser2 callbacks, no DOM): what it gathers, and its bounds on hostile markup. */
describe('one-pass page features', () => {
  it('tag paths are the last four element tokens, counted per element', () => {
    const dom = extractDomFeatures('<html><body><div id="main" class="b a"><ul><li><a href="/x/1">one</a></li><li><a href="/x/2">two</a></li></ul></div></body></html>');
    expect(dom.structure.spelt().get('html')).toBe(1);
    expect(dom.structure.spelt().get('html>body>div#main.a.b>ul')).toBe(1);
    // the window slides: a depth-5 element keeps its four nearest tokens
    expect(dom.structure.spelt().get('body>div#main.a.b>ul>li')).toBe(2);
    expect(dom.structure.spelt().get('div#main.a.b>ul>li>a')).toBe(2);
    expect(dom.resources.spelt().get('a:/x/#')).toBe(2);
  });

  it('rows straight in a table get the tbody the HTML tree builder implies, so both spellings are one path', () => {
    const implied = extractDomFeatures('<table class="t"><tr><td>a</td></tr><tr><td>b</td></tr></table>');
    const spelt = extractDomFeatures('<table class="t"><tbody><tr><td>a</td></tr><tr><td>b</td></tr></tbody></table>');
    expect([...implied.structure.spelt()]).toEqual([...spelt.structure.spelt()]);
    expect(implied.structure.spelt().get('table.t>tbody>tr>td')).toBe(2);
    // a cell straight in a table gets a tbody and a row; the implied elements end with the table
    const cell = extractDomFeatures('<table><td>x</td></table><p>after</p>');
    expect(cell.structure.spelt().get('table>tbody>tr>td')).toBe(1);
    expect(cell.structure.spelt().get('p')).toBe(1);
  });

  it('ids that fold to one token ("li#2", "li#3") are one tag path', () => {
    const dom = extractDomFeatures('<ul><li id="2">a</li><li id="3">b</li><li id="4">c</li></ul>');
    expect(dom.structure.spelt().get('ul>li##')).toBe(3);
    // a path repeated three times is listing content: its text is not boilerplate
    expect(dom.text.spelt().has('a')).toBe(false);
  });

  it('script, style and svg content is neither structure nor text; title, metas, logo and canonical are read', () => {
    const dom = extractDomFeatures(
      '<head><title> Harbor &amp; Co |  Home </title><meta property="og:site_name" content="Harbor"><link rel="canonical" href="https://harbor.example/"><script>var x = "<div>not markup</div>";</script><style>p{}</style></head>' +
        '<body><svg><g><path d="M0"/></g></svg><a class="site-logo" href="/"><img src="/l.png" alt="Harbor logo"></a><p>Visible words</p></body>',
    );
    expect(dom.title).toBe('Harbor & Co | Home');
    expect(dom.metas).toEqual([{ name: 'og:site_name', content: 'Harbor' }]);
    expect(dom.canonicalHref).toBe('https://harbor.example/');
    expect(dom.logoTexts).toEqual([]);
    expect(dom.visibleText).not.toContain('not markup');
    expect([...dom.structure.spelt().keys()].some((k) => k.includes('path') || k.includes('>g'))).toBe(false);
    expect(dom.text.spelt().get('visible words')).toBe(1);
  });

  it('a logo link names the site through its alt and title texts', () => {
    const dom = extractDomFeatures('<a class="logo" href="/" title="Harbor home"><img src="/logo.png" alt="Harbor"></a>');
    expect(dom.logoTexts).toEqual(['Harbor home', 'Harbor']);
  });

  it('the project fixture gets a full fingerprint', () => {
    const fp = fingerprintPage({ body: harborListing({ host: 'h.example', seed: 1 }) });
    expect(fp.pageKind).toBe('ok');
    expect(fp.featureCounts.structure).toBeGreaterThan(10);
    expect(fp.featureCounts.text).toBeGreaterThan(10);
    expect(fp.featureCounts.resources).toBeGreaterThan(3);
  });
});

describe('bounds on hostile markup', () => {
  it('deep nesting is cut at the nesting limit, linearly', () => {
    const depth = 50_000;
    const html = `<html><body>${'<div>'.repeat(depth)}deep${'</span>'.repeat(depth)}</body></html>`;
    const dom = extractDomFeatures(html);
    expect(dom.truncated).toBe(true);
    expect(dom.elementCount).toBeLessThanOrEqual(DEFAULT_DOM_LIMITS.maxNestingDepth);
    const fp = fingerprintPage({ body: html });
    expect(fp.pageKindReason).toContain('levels of nesting');
  });

  it('stray close tags do not unbalance the element stack', () => {
    const dom = extractDomFeatures(`${'</div></span></p></br></table>'.repeat(5_000)}<div class="a"><p>kept</p></div>`);
    expect(dom.truncated).toBe(false);
    expect(dom.structure.spelt().get('div.a')).toBe(1);
    expect(dom.structure.spelt().get('div.a>p')).toBe(1);
    expect(dom.text.spelt().get('kept')).toBe(1);
  });

  it('the element limit cuts a huge page', () => {
    const dom = extractDomFeatures('<i></i>'.repeat(1_000), { ...DEFAULT_DOM_LIMITS, maxElements: 100 });
    expect(dom.truncated).toBe(true);
    expect(dom.elementCount).toBe(100);
    expect(dom.structure.spelt().get('i')).toBe(100);
  });

  it('huge attribute counts keep the first of each attribute and cost one element', () => {
    const attrs = Array.from({ length: 20_000 }, (_, i) => `data-x${i}="${i}" class="c${i}"`).join(' ');
    const dom = extractDomFeatures(`<div id="first" ${attrs} id="second"><a href="/cat/1" href="/other">x</a></div>`);
    expect(dom.elementCount).toBe(2);
    expect(dom.structure.spelt().get('div#first.c#')).toBe(1);
    expect(dom.hrefs).toEqual(['/cat/1']);
  });

  it('random nesting of open and close tags stays within the bounds', () => {
    const tag = fc.constantFrom('<div>', '</div>', '<p>', '</p>', '<li>', '</ul>', '<table>', '<tr>', '<td>', '</table>', '<svg>', '</svg>', '<script>', '</script>', '<br/>', '</br>', 'text');
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 400 }), (parts) => {
        const limits = { ...DEFAULT_DOM_LIMITS, maxNestingDepth: 16, maxElements: 200 };
        const dom = extractDomFeatures(parts.join(''), limits);
        expect(dom.elementCount).toBeLessThanOrEqual(200);
        let total = 0;
        for (const [path, n] of dom.structure.spelt()) {
          expect(path.split('>').length).toBeLessThanOrEqual(limits.pathDepth);
          total += n;
        }
        expect(total).toBe(dom.elementCount);
      }),
      { numRuns: 200 },
    );
  });
});
