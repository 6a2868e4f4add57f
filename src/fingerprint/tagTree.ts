import { decodeHTML, decodeHTMLAttribute } from 'entities/decode';
import { HtmlScanner, type ScanCallbacks } from './htmlScanner.js';

/**
 * htmlparser2's tree rules (the open-element stack of its `Parser`: implied closes, void
 * elements, foreign content, `</p>` and `</br>`) run straight over its tokenizer's events, so
 * that the fingerprint pays only for what it reads. Measured over the corpus, the tokenizer with
 * entity decoding off takes about 0.4 of the time of a `Parser` with empty callbacks: the `Parser`
 * slices and lower-cases every tag and attribute name, builds every attribute value and text,
 * and with entity decoding on the tokenizer walks text and attribute values a character at a
 * time instead of skipping to the next `<` or quote. The events come from htmlScanner.ts, the
 * Tokenizer's states as one loop, which makes the stock Tokenizer's callbacks.
 *
 * Here tag names are looked up in an interned table straight from the page's characters
 * (no string per tag), attribute names against the caller's short list (no string for any
 * other attribute), and a text or value is sliced, and its entities decoded, only when the
 * caller asks for it. The events the handler receives are the `Parser`'s, in its order, with
 * the same values: test/fingerprint/tagTree.test.ts compares the two on generated tag soup.
 */

/** What the tree rules need to know about a tag name, with the caller's own facts about it. */
export interface TagName<T> {
  /** lower case, as the `Parser` spells it */
  readonly name: string;
  readonly info: T;
  readonly isVoid: boolean;
  /** names of open elements this tag closes while they are on top of the stack */
  readonly impliesClose: ReadonlySet<string> | undefined;
  /** 1: opens foreign content (svg, math); 2: an HTML integration point; 0: neither */
  readonly foreign: 0 | 1 | 2;
  /** the tokenizer reads its content as raw text, entities not decoded (script, style, textarea, xmp; a title's are) */
  readonly rawContent: boolean;
}

/** The tree's events; none arrives after `TagTree.stop()`. */
export interface TreeHandler<T> {
  /** An element opens (as the `Parser`'s `onopentagname`); its attributes follow. */
  openTag(tag: TagName<T>): void;
  /**
   * One attribute of the element just opened, in source order; `index` is the position of its
   * name in the attribute list the tree was made with, or -1 (and `value` '') for any other name.
   */
  attribute(index: number, value: string): void;
  /** A run of text (`Parser` `ontext`), script and style content too; `TagTree.textOf(start, end)` reads it. */
  text(start: number, end: number): void;
  /** The innermost open element closes (as the `Parser`'s `onclosetag`). */
  closeTag(): void;
  /** A comment, CDATA section, doctype or processing instruction. */
  boundary(): void;
}

const P_TAG = new Set(['p']);
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTION_TAGS = new Set(['thead', 'tbody']);
const DDT_TAGS = new Set(['dd', 'dt']);
const RTP_TAGS = new Set(['rt', 'rp']);
/** htmlparser2 10's `openImpliesClose`, as its Parser has it */
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['tbody', TABLE_SECTION_TAGS],
  ['tfoot', TABLE_SECTION_TAGS],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t): [string, ReadonlySet<string>] => [t, P_TAG]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t): [string, ReadonlySet<string>] => [t, FORM_TAGS]),
  ...['dd', 'dt'].map((t): [string, ReadonlySet<string>] => [t, DDT_TAGS]),
  ...['rt', 'rp'].map((t): [string, ReadonlySet<string>] => [t, RTP_TAGS]),
]);
const VOID_ELEMENTS = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const FOREIGN_CONTEXT = new Set(['math', 'svg']);
const HTML_INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
const RAW_CONTENT = new Set(['script', 'style', 'textarea', 'xmp']);

/** Tag names kept, across pages: real markup uses a few hundred; past this a name is spelt again each time. */
const MAX_TAG_NAMES = 4_096;
/**
 * Longest name kept: real tag names are short, and the table outlives the page, so a hostile page's
 * megabyte-long names must not stay in memory. A longer name is spelt again each time it occurs.
 */
const MAX_KEPT_NAME_LENGTH = 100;

/**
 * Names found by their characters in the page, ignoring ASCII case, without making a string:
 * open addressing on a hash of the lower-cased characters. A name with a non-ASCII character
 * goes the slow way (`toLowerCase`, as the `Parser` does, which maps a few of them to ASCII).
 */
class NameTable<E extends { readonly name: string }> {
  private slots: Array<E | undefined> = new Array(1024);
  private size = 0;
  private readonly byName = new Map<string, E>();
  /**
   * For a table that makes no entries and holds only ASCII names (the attributes a reader wants):
   * per (first letter, length), how many of its names have that shape, so that most other names
   * (data-*, style, onclick) are turned away before they are hashed; and, where one name has
   * the shape, that name, which is then compared without a hash (the fifteen the fingerprint
   * reads have fifteen shapes). A length of 63 or more shares one bucket.
   */
  private readonly shapes = new Uint8Array(128 * 64);
  private readonly shapeEntries: Array<E | undefined> = new Array(128 * 64);
  /** per (first letter, last letter, length) of a name found in the slots, the last one found (`find`) */
  private readonly recent: Array<E | undefined> = new Array(1 << 14);
  private allAscii = true;

  constructor(
    private readonly make: ((name: string) => E) | null,
    private readonly limit: number,
  ) {}

  /** The entry of `buf[start, end)`, made if the table makes entries; undefined otherwise. */
  find(buf: string, start: number, end: number): E | undefined {
    if (this.make === null && this.allAscii) {
      // a name lower-cases to one of ours only if its first character does, at the same length
      // (of the characters outside ASCII that lower-case into it, the Kelvin sign keeps the
      // length and cannot come first here, and İ adds a character outside ASCII)
      let c = buf.charCodeAt(start);
      if (c < 128) {
        if (c >= 65 && c <= 90) c += 32;
        const len = end - start;
        const shape = (c << 6) | (len < 63 ? len : 63);
        const count = this.shapes[shape];
        if (count === 0) return undefined;
        if (count === 1 && len < 63) {
          // a character outside ASCII (the Kelvin sign lower-cases to 'k') goes the general way
          const e = this.shapeEntries[shape]!;
          const same = compareAsciiName(buf, start, e.name);
          if (same >= 0) return same === 1 ? e : undefined;
        }
      }
    }
    const len = end - start;
    // the last name seen with this first letter, last letter and length is mostly the one (div,
    // a, li, td, tr...): compared, it needs no hash; a character outside ASCII goes the general way
    const key = len > 0 ? (((buf.charCodeAt(start) & 31) << 9) | ((buf.charCodeAt(end - 1) & 31) << 4) | (len & 15)) : 0;
    const recent = this.recent[key];
    if (recent !== undefined && recent.name.length === len && compareAsciiName(buf, start, recent.name) === 1) return recent;
    const h = asciiLowerHash(buf, start, end);
    if (h < 0) return this.slow(buf.slice(start, end).toLowerCase());
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s];
      if (e === undefined) break;
      if (e.name.length === len && sameIgnoringAsciiCase(buf, start, e.name)) {
        this.recent[key] = e;
        return e;
      }
    }
    // every ASCII name known is in the slots: a miss is an unknown name
    return this.make === null ? undefined : this.slow(buf.slice(start, end).toLowerCase());
  }

  private slow(name: string): E | undefined {
    const known = this.byName.get(name);
    if (known !== undefined || this.make === null) return known;
    const e = this.make(name);
    this.add(e);
    return e;
  }

  add(e: E): void {
    if (this.size >= this.limit || e.name.length > MAX_KEPT_NAME_LENGTH || this.byName.has(e.name)) return;
    this.byName.set(e.name, e);
    // only ASCII names are found by characters; others stay in the map
    if (asciiLowerHash(e.name, 0, e.name.length) < 0) {
      this.allAscii = false;
      return;
    }
    if (e.name.length > 0) {
      const shape = (e.name.charCodeAt(0) << 6) | Math.min(e.name.length, 63);
      if (this.shapes[shape]! < 255) this.shapes[shape]!++;
      this.shapeEntries[shape] = e;
    }
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    this.place(e);
    this.size++;
  }

  /** `e.name` is lower-case ASCII here */
  private place(e: E): void {
    const mask = this.slots.length - 1;
    let s = asciiLowerHash(e.name, 0, e.name.length) & mask;
    while (this.slots[s] !== undefined) s = (s + 1) & mask;
    this.slots[s] = e;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array(old.length * 2);
    for (const e of old) if (e !== undefined) this.place(e);
  }
}

/**
 * FNV-1a of `buf[start, end)` with ASCII letters lower-cased, as a non-negative number; -1 when a
 * character is not ASCII (such names are not found by characters).
 */
function asciiLowerHash(buf: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    let c = buf.charCodeAt(i);
    if (c >= 128) return -1;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

/**
 * 1 if `buf[start...]` spells the lower-case ASCII `name` ignoring ASCII case (length already
 * checked), 0 if it does not, -1 if a character outside ASCII comes before they differ.
 */
function compareAsciiName(buf: string, start: number, name: string): number {
  for (let k = 0; k < name.length; k++) {
    let c = buf.charCodeAt(start + k);
    if (c >= 128) return -1;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(k)) return 0;
  }
  return 1;
}

/** `buf[start...]` spells the lower-case `name`, ignoring ASCII case (length already checked). */
function sameIgnoringAsciiCase(buf: string, start: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    let c = buf.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The tag names and wanted attribute names of one kind of reader, shared by the pages it reads
 * (the table of tag names fills once, with the names real pages use).
 */
export class TagDialect<T> {
  readonly tags: NameTable<TagName<T>>;
  readonly attributes: NameTable<{ readonly name: string; readonly index: number }>;

  constructor(describe: (name: string) => T, attributeNames: readonly string[]) {
    const make = (name: string): TagName<T> => ({
      name,
      info: describe(name),
      isVoid: VOID_ELEMENTS.has(name),
      impliesClose: OPEN_IMPLIES_CLOSE.get(name),
      foreign: FOREIGN_CONTEXT.has(name) ? 1 : HTML_INTEGRATION.has(name) ? 2 : 0,
      rawContent: RAW_CONTENT.has(name),
    });
    this.tags = new NameTable(make, MAX_TAG_NAMES);
    this.attributes = new NameTable<{ name: string; index: number }>(null, attributeNames.length);
    attributeNames.forEach((name, index) => this.attributes.add({ name, index }));
  }
}

/** One page read through the tree rules; `run` once. */
export class TagTree<T> implements ScanCallbacks {
  private readonly scanner: HtmlScanner;
  /** open elements, innermost last (the `Parser` keeps them innermost first, with `unshift`) */
  private readonly open: Array<TagName<T>> = [];
  /** foreign-content flags of the `Parser`, innermost last; starts with HTML */
  private readonly foreign: boolean[] = [false];
  /** the tag whose attributes are being read */
  private current: TagName<T> | null = null;
  private attributeIndex = -1;
  private valueStart = -1;
  private valueEnd = -1;
  /** the text being delivered is raw content (script, style, textarea, xmp), not decoded */
  private rawText = false;
  private stopped = false;

  constructor(
    private readonly dialect: TagDialect<T>,
    private readonly handler: TreeHandler<T>,
    private readonly html: string,
  ) {
    this.scanner = new HtmlScanner(this);
  }

  run(): void {
    this.scanner.run(this.html);
  }

  /** No more events: the handler has read enough. */
  stop(): void {
    this.stopped = true;
    this.scanner.pause();
  }

  /** The text of the run the handler was just given, with its entities decoded as htmlparser2 decodes them. */
  textOf(start: number, end: number): string {
    const s = this.html.slice(start, end);
    return this.rawText || s.indexOf('&') < 0 ? s : decodeHTML(s);
  }

  /** `textOf(start, end)` holds nothing but ASCII white space (so `trim()` leaves nothing); read without a slice */
  isAsciiWhitespace(start: number, end: number): boolean {
    const html = this.html;
    for (let i = start; i < end; i++) {
      const c = html.charCodeAt(i);
      // space, \t, \n, \v, \f, \r; an entity (&nbsp;) begins with '&' and is not skipped
      if (c !== 32 && (c < 9 || c > 13)) return false;
    }
    return true;
  }

  // ---- the scanner's callbacks (htmlparser2 Tokenizer's; the scanner calls them on this object) ----

  ontext(start: number, end: number): void {
    if (!this.stopped) this.handler.text(start, end);
  }

  onopentagname(start: number, end: number): void {
    this.rawText = false;
    this.emitOpenTag(this.dialect.tags.find(this.html, start, end)!);
  }

  onattribname(start: number, end: number): void {
    this.attributeIndex = this.dialect.attributes.find(this.html, start, end)?.index ?? -1;
    this.valueStart = this.valueEnd = -1;
  }

  onattribdata(start: number, end: number): void {
    if (this.valueStart < 0) this.valueStart = start;
    this.valueEnd = end;
  }

  onattribend(): void {
    if (this.stopped) return;
    const index = this.attributeIndex;
    if (index < 0) {
      this.handler.attribute(-1, '');
      return;
    }
    let value = this.valueStart < 0 ? '' : this.html.slice(this.valueStart, this.valueEnd);
    if (value.indexOf('&') >= 0) value = decodeHTMLAttribute(value);
    this.handler.attribute(index, value);
  }

  onopentagend(): void {
    const tag = this.current;
    this.endOpenTag();
    // the tokenizer reads a script's, style's, textarea's or xmp's content as one raw run
    this.rawText = tag !== null && tag.rawContent;
  }

  onselfclosingtag(): void {
    this.rawText = false;
    if (this.foreign[this.foreign.length - 1] === true) this.closeCurrentTag();
    else this.endOpenTag();
  }

  onclosetag(start: number, end: number): void {
    this.rawText = false;
    // most end tags close the innermost element: its name, read off the page, needs no table lookup
    const top = this.open.length > 0 ? this.open[this.open.length - 1]! : null;
    const tag = top !== null && top.name.length === end - start && sameIgnoringAsciiCase(this.html, start, top.name) ? top : this.dialect.tags.find(this.html, start, end)!;
    if (tag.foreign !== 0) this.foreign.pop();
    if (!tag.isVoid) {
      const pos = this.lastOpen(tag.name);
      if (pos >= 0) {
        for (let k = this.open.length - 1; k >= pos; k--) {
          this.open.pop();
          this.close();
        }
      } else if (tag.name === 'p') {
        this.emitOpenTag(tag);
        this.closeCurrentTag();
      }
    } else if (tag.name === 'br') {
      // `</br>` is a `<br>`; the Parser opens and closes it without its implied closes
      if (!this.stopped) this.handler.openTag(tag);
      this.close();
    }
  }

  oncomment(): void {
    this.boundary();
  }

  oncdata(): void {
    this.boundary();
  }

  ondeclaration(): void {
    this.boundary();
  }

  onprocessinginstruction(): void {
    this.boundary();
  }

  onend(): void {
    // the Parser closes what is still open, innermost first
    for (let k = this.open.length - 1; k >= 0; k--) this.close();
  }

  private boundary(): void {
    this.rawText = false;
    if (!this.stopped) this.handler.boundary();
  }

  private close(): void {
    if (!this.stopped) this.handler.closeTag();
  }

  private lastOpen(name: string): number {
    for (let k = this.open.length - 1; k >= 0; k--) if (this.open[k]!.name === name) return k;
    return -1;
  }

  private emitOpenTag(tag: TagName<T>): void {
    this.current = tag;
    const implied = tag.impliesClose;
    if (implied !== undefined) {
      while (this.open.length > 0 && implied.has(this.open[this.open.length - 1]!.name)) {
        this.open.pop();
        this.close();
      }
    }
    if (!tag.isVoid) {
      this.open.push(tag);
      if (tag.foreign === 1) this.foreign.push(true);
      else if (tag.foreign === 2) this.foreign.push(false);
    }
    if (!this.stopped) this.handler.openTag(tag);
  }

  private endOpenTag(): void {
    const tag = this.current;
    this.current = null;
    if (tag !== null && tag.isVoid) this.close();
  }

  /** A self-closing tag in foreign content, or the `<p>` a stray `</p>` implies: opened and closed at once. */
  private closeCurrentTag(): void {
    const tag = this.current;
    this.endOpenTag();
    if (tag !== null && this.open.length > 0 && this.open[this.open.length - 1]!.name === tag.name) {
      this.close();
      this.open.pop();
    }
  }
}
