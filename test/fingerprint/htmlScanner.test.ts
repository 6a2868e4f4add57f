import { Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { HtmlScanner, type ScanCallbacks } from '../../src/fingerprint/htmlScanner.js';
import { randomMarkup, soupOf } from '../support/tagSoup.js';

/**
 * The scanner must call back exactly as htmlparser2's own Tokenizer does with entities not
 * decoded and the input in one piece: the same callbacks, in the same order, with the same
 * indices; and, once a callback pauses it, none after that one.
 */
const CALLBACKS = ['onattribdata', 'onattribentity', 'onattribend', 'onattribname', 'oncdata', 'onclosetag', 'oncomment', 'ondeclaration', 'onend', 'onopentagend', 'onopentagname', 'onprocessinginstruction', 'onselfclosingtag', 'ontext', 'ontextentity'] as const;

/** The events of one read; `pauseAt`: the callback that pauses the reader (1-based), if any. */
function events(reader: 'stock' | 'scanner', html: string, pauseAt = 0): string[] {
  const log: string[] = [];
  let pause = (): void => {};
  const cbs = Object.fromEntries(
    CALLBACKS.map((name) => [
      name,
      (...args: unknown[]) => {
        log.push(`${name}(${args.join(',')})`);
        if (log.length === pauseAt) pause();
      },
    ]),
  );
  if (reader === 'stock') {
    const tokenizer = new Tokenizer({ decodeEntities: false }, cbs as unknown as ConstructorParameters<typeof Tokenizer>[1]);
    tokenizer.write(html);
    tokenizer.end();
  } else {
    const scanner = new HtmlScanner(cbs as unknown as ScanCallbacks);
    pause = () => scanner.pause();
    scanner.run(html);
  }
  return log;
}

function same(html: string): void {
  const stock = events('stock', html);
  expect(events('scanner', html), JSON.stringify(html)).toEqual(stock);
}

const PIECES = [
  '<p>', '</p>', '<P class="A b">', '<div id="x&amp;y">', '</div >', '<br/>', '</BR\t>', '<img src=/a.png alt=x class=logo>', '<svg><path d="M0"/></svg>',
  '<title>T&amp;t</title>', '<TITLE>a<\u001c/title></tItle >', '<textarea>a</textarea>', '<xmp><p></xmp>', '<script>if(a<b)x="</scr"+"ipt>";</script>', '<style>p{}</style>',
  '<scrip>', '<styl x>', '<tit/>', '<texta>', '<script/>', '<script src=a.js></SCRIPT\n>', '<!-- c -->', '<!---->', '<!-->', '<!--->', '<!-- a -- b --->', '<!DOCTYPE html>',
  '<?xml x?>', '<![CDATA[x]]>', '<![CDATA[x]]]>', '<![CDAT', '<!x>', '<a href="/t?a=1&amp;b=2" title=\'Home\'>x</a>', '<a HREF=/u&copy=3 TITLE=x>', '<input disabled value=Go>',
  'text &amp; more ', '  ', '\n', '<\u017Fpan>', '<d\u0131v data-\u00e9=1>', '<a\thref="/q"\n>', '<b', '</ nope>', '</>', '</ >', '</1>', '<a href>', '<a href=>', '<a =x>', '< a>', '<1>',
  '<a/b c/>', '<a / >', '<a href="" title=\'\'>', '<a x=""y=\'\'z>', '<p class= "a" id =\'b\'\t\n lang=x>', '<a  \t\n  b = "c"   >', `<${'Long'.repeat(40)} ${'attr'.repeat(30)}=L>`, `</${'long'.repeat(40)}\n>`, '</a x y>',
];

describe('HTML scanner', () => {
  it("calls back as htmlparser2's Tokenizer does on tag soup", () => {
    for (let seed = 1; seed <= 1200; seed++) same(soupOf(PIECES, seed, 1 + (seed % 30)));
  });

  it('calls back the same on random markup characters, and where the input ends inside each kind of token', () => {
    for (const html of randomMarkup('<>/="\' \t&;#abcpdivtrlsemxTAB!-?[]CD\n\u001c\u00e9\u212A', 11, 600, 150)) {
      same(html);
      for (const end of ['<', '</', '<div', '<a ', '<a hre', '<a href', '<a href=', '<a href="', "<a b='", '<a href="x', "<a href='x", '<a href=x', '</spa', '</a ', '<!', '<!-', '<!-- open', '<!-- a -', '<![CDATA[x', '<!DOC', '<?x', '<script>x', '<script>x</scr', '<title>a</title', '<a/']) same(html + end);
    }
  });

  it('reads the stock way at the edges: empty input, "<" runs, and one character', () => {
    for (const html of ['', '<', '>', 'x', '<'.repeat(10_000) + '<a b=c>x</a>', 'x<<<<<a>', '<<</<<!<<?<']) same(html);
  });

  it('makes no callback after the one that pauses it', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const html = soupOf(PIECES, seed, 12);
      const all = events('stock', html);
      for (const at of [1, 2, 3, 5, 8, 13]) expect(events('scanner', html, at), `${JSON.stringify(html)} paused at ${at}`).toEqual(all.slice(0, at));
    }
  });
});
