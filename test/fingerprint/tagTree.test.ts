import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { TagDialect, TagTree, type TagName } from '../../src/fingerprint/tagTree.js';
import { randomMarkup, soupOf } from '../support/tagSoup.js';

/**
 * The tree rules over the bare tokenizer must give what htmlparser2's own Parser gives: the same
 * opens and closes in the same order, the same attribute values and the same decoded text.
 * Both are run on tag soup made of the constructs where the rules differ from a plain stack
 * (implied closes, void and stray end tags, foreign content, raw-text elements, entities in
 * text and attributes, odd case, unterminated input).
 */
// 'lock' and 'clock': a name with a letter that a character outside ASCII lower-cases to (the Kelvin sign), alone at its first letter and length or not
const WANTED = ['id', 'class', 'href', 'title', 'content', 'lock', 'clock'];

/** The events of one reading, with consecutive text runs joined (the Parser splits text at entities). */
class EventLog {
  readonly events: string[] = [];
  private pending: string | null = null;

  text(data: string): void {
    this.pending = (this.pending ?? '') + data;
  }

  push(event: string): void {
    this.endText();
    this.events.push(event);
  }

  done(): string[] {
    this.endText();
    return this.events;
  }

  private endText(): void {
    if (this.pending !== null) this.events.push(`text:${this.pending}`);
    this.pending = null;
  }
}

function viaParser(html: string): string[] {
  const log = new EventLog();
  const parser = new Parser(
    {
      onopentagname: (name) => log.push(`open:${name}`),
      onattribute: (name, value) => log.push(WANTED.includes(name) ? `attr:${name}=${value}` : 'attr:-'),
      ontext: (data) => log.text(data),
      onclosetag: () => log.push('close'),
      oncomment: () => log.push('boundary'),
      onprocessinginstruction: () => log.push('boundary'),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return log.done();
}

const dialect = new TagDialect((name) => name.length, WANTED);

function viaTree(html: string): string[] {
  const log = new EventLog();
  const tree: TagTree<number> = new TagTree(
    dialect,
    {
      openTag: (tag: TagName<number>) => {
        expect(tag.info).toBe(tag.name.length);
        log.push(`open:${tag.name}`);
      },
      attribute: (index, value) => log.push(index >= 0 ? `attr:${WANTED[index]}=${value}` : 'attr:-'),
      text: (start, end) => log.text(tree.textOf(start, end)),
      closeTag: () => log.push('close'),
      boundary: () => log.push('boundary'),
    },
    html,
  );
  tree.run();
  return log.done();
}

const PIECES = [
  '<p>', '</p>', '<P class="A b">', '<div id="x&amp;y">', '</div>', '<br>', '</br>', '</BR>', '<img src="/a.png" alt="x" class=logo>', '</img>',
  '<table>', '<tr>', '<td>', '</td>', '<th>', '</table>', '<tbody>', '<tfoot>', '<svg>', '<path/>', '</svg>', '<math>', '<mi>', '</mi>',
  '<foreignObject>', '</foreignobject>', '<title>', '</title>', 'T&amp;t &lt;x&gt; &notit; &amp', '&#x41;&#0;&#65', '<textarea>a &amp; b</textarea>',
  '<xmp>&amp;</xmp>', '<script>var a="<p>&amp;";</script>', '<style>p{}</style>', '<!-- c -->', '<!DOCTYPE html>', '<?xml x?>', '<![CDATA[x]]>',
  '<a href="/t/1?a=1&amp;b=2" title="Home &amp; away">x</a>', '<a HREF=/u&copy=3 TITLE=x>', '<a href=/v&amp>', '<li>', '<ul>', '</ul>', '<option>',
  '<select>', '<input type=submit value="Go">', '<meta name="og:url" content="https://x/&amp;&#x2F;">', '<h1>', '<nav>', '</nav>', 'text ', '  ', '\n',
  '<dd>', '<dt>', '<div/>', '<span/>', '<title/>', '<\u017Fpan>', '<d\u0131v>', '<a \u212Aid=1 ID=2>', '<a loc\u212A=1 LOCK=2 cloc\u212A=3 cLoCk=4 loc=5>', '<form>', '</form>', '<body>', '<head>', '<link>',
  '<a href="x" href="y" id="1" id="2">', '<x-y:z>', '</x-y:z>', '<a\thref="/q"\n>', '<b', 'unterminated <a href="/z', '</ nope>', '<a href>', '<a href=>',
  // longer than the table keeps: looked up the slow way every time
  `<${'Long'.repeat(40)} id=L>`, `</${'long'.repeat(40)}>`,
];

const soup = (seed: number, length: number): string => soupOf(PIECES, seed, length);

describe('tag tree over the bare tokenizer', () => {
  it('gives the events of htmlparser2 Parser on tag soup', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const html = soup(seed, 1 + (seed % 40));
      expect(viaTree(html), html).toEqual(viaParser(html));
    }
  });

  it('gives the events of htmlparser2 Parser on random markup characters', () => {
    for (const html of randomMarkup('<>/="\' &;#abcpdivtrlsePTAB!-?[]\n\u212A\u017F', 7, 500, 200)) expect(viaTree(html), html).toEqual(viaParser(html));
  });

  it('gives the same events on a plain page', () => {
    const html = '<!DOCTYPE html><html><head><title>A &amp; B</title><meta name="x" content="1&lt;2"></head><body><div id="main" class="c"><p>one<p>two</div><table><tr><td>a<td>b</table></body></html>';
    expect(viaTree(html)).toEqual(viaParser(html));
  });

  it('reads attribute names and tag names ignoring case, as the Parser lowercases them', () => {
    const log = viaTree('<DiV ID="a" Class="b" data-x="y"></dIv>');
    expect(log).toEqual(['open:div', 'attr:id=a', 'attr:class=b', 'attr:-', 'close']);
  });
});
