import { Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { SkippingTokenizer } from '../../src/fingerprint/skippingTokenizer.js';
import { soupOf } from '../support/tagSoup.js';

/**
 * The skipping tokenizer must call back exactly as htmlparser2's own Tokenizer does: the same
 * callbacks, in the same order, with the same indices, whether entities are decoded or not and
 * whether the input comes in one piece or several (names and values cut at a chunk's end).
 */
const CALLBACKS = ['onattribdata', 'onattribentity', 'onattribend', 'onattribname', 'oncdata', 'onclosetag', 'oncomment', 'ondeclaration', 'onend', 'onopentagend', 'onopentagname', 'onprocessinginstruction', 'onselfclosingtag', 'ontext', 'ontextentity'] as const;

function events(make: typeof Tokenizer, chunks: string[], decodeEntities: boolean): string[] {
  const log: string[] = [];
  const cbs = Object.fromEntries(CALLBACKS.map((name) => [name, (...args: unknown[]) => log.push(`${name}(${args.join(',')})`)]));
  const tokenizer = new make({ decodeEntities }, cbs as unknown as ConstructorParameters<typeof Tokenizer>[1]);
  for (const chunk of chunks) tokenizer.write(chunk);
  tokenizer.end();
  return log;
}

/** The events when a callback pauses the Tokenizer at the `at`-th event, and it is resumed after each write. */
function pausedEvents(make: typeof Tokenizer, html: string, at: number): string[] {
  const log: string[] = [];
  let tokenizer: Tokenizer | null = null;
  const cbs = Object.fromEntries(
    CALLBACKS.map((name) => [
      name,
      (...args: unknown[]) => {
        log.push(`${name}(${args.join(',')})`);
        if (log.length === at) tokenizer!.pause();
      },
    ]),
  );
  tokenizer = new make({ decodeEntities: false }, cbs as unknown as ConstructorParameters<typeof Tokenizer>[1]);
  tokenizer.write(html);
  log.push('-- write returned');
  tokenizer.resume();
  tokenizer.end();
  return log;
}

function same(chunks: string[]): void {
  for (const decodeEntities of [false, true]) {
    expect(events(SkippingTokenizer, chunks, decodeEntities), JSON.stringify(chunks)).toEqual(events(Tokenizer, chunks, decodeEntities));
  }
}

const PIECES = [
  '<p>', '</p>', '<P class="A b">', '<div id="x&amp;y">', '</div >', '<br/>', '</BR\t>', '<img src=/a.png alt=x class=logo>', '<svg><path d="M0"/></svg>',
  '<title>T&amp;t</title>', '<textarea>a</textarea>', '<xmp><p></xmp>', '<script>if(a<b)x="</scr"+"ipt>";</script>', '<style>p{}</style>', '<!-- c -->',
  '<!---->', '<!DOCTYPE html>', '<?xml x?>', '<![CDATA[x]]>', '<a href="/t?a=1&amp;b=2" title=\'Home\'>x</a>', '<a HREF=/u&copy=3 TITLE=x>', '<input disabled value=Go>',
  'text &amp; more ', '  ', '\n', '<\u017Fpan>', '<d\u0131v data-\u00e9=1>', '<a\thref="/q"\n>', '<b', '</ nope>', '</>', '<a href>', '<a href=>', '<a =x>', '< a>', '<1>',
  '<a/b c/>', `<${'Long'.repeat(40)} ${'attr'.repeat(30)}=L>`, `</${'long'.repeat(40)}\n>`,
];

const soup = (seed: number, length: number): string => soupOf(PIECES, seed, length);

describe('skipping tokenizer', () => {
  it("calls back as htmlparser2's Tokenizer does on tag soup", () => {
    for (let seed = 1; seed <= 800; seed++) same([soup(seed, 1 + (seed % 30))]);
  });

  it('calls back the same on random markup characters, names running to the end of the input', () => {
    const alphabet = '<>/="\' \t&;#abcpdivtrlsePTAB!-?[]\n\u00e9\u212A';
    let s = 11;
    for (let doc = 0; doc < 400; doc++) {
      let html = '';
      for (let i = 0; i < 150; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        html += alphabet[(s >>> 8) % alphabet.length];
      }
      same([html]);
      for (const end of ['<div', '<a hre', '</spa', '<a href="x', '<!-- open', '<script>x']) same([html + end]);
    }
  });

  it('calls back the same when the input arrives in pieces', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const html = soup(seed, 20);
      for (const cut of [1, 7, 13, 64]) {
        const chunks: string[] = [];
        for (let i = 0; i < html.length; i += cut) chunks.push(html.slice(i, i + cut));
        same(chunks);
      }
    }
  });

  it('stops where the stock Tokenizer stops when a callback pauses it, and goes on alike when resumed', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const html = soup(seed, 12);
      for (const at of [1, 2, 3, 5, 8, 13]) expect(pausedEvents(SkippingTokenizer, html, at), `${JSON.stringify(html)} paused at ${at}`).toEqual(pausedEvents(Tokenizer, html, at));
    }
  });

  it('reads a long run of "<" (each one hands back to text) without nesting a call per character', () => {
    same(['<'.repeat(200_000) + '<a b=c>x</a>']);
    same(['x<<<<<a>', '<<</<<!<<?<']);
  });
});
