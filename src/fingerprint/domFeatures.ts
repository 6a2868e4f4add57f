import { CopyrightSigns } from './copyrightSigns.js';
import { HashedFamily, MapFamily, type FeatureFamily } from './featureFamily.js';
import { interpretLink, pathShape, urlHost } from './normalise.js';
import { PathWindows } from './pathWindows.js';
import { TagDialect, TagTree, type TagName, type TreeHandler } from './tagTree.js';
import { TextChunks } from './textChunks.js';

/**
 * Everything the fingerprint needs from the markup, gathered in ONE pass over htmlparser2's
 * tokenizer: no DOM is built. The open-element stack of htmlparser2's tree rules (with its implied
 * closes, see tagTree.ts) gives each element its parent; we keep, per open element, only a few
 * numbers (its tag-path window and whether its text is template text) in fixed arrays sized by the
 * nesting bound, so an element costs no object, no path array and no joined string. Attributes
 * arrive one at a time and only the fifteen the features use are read at all (no string is made
 * for any other). An element is "flushed" (its features computed) at the next event, when all
 * its attributes are known.
 *
 * No feature needs a DOM: tag paths come from the open-element stack, boilerplate text is judged
 * after the pass from the tag-path counts (the only whole-page dependency), and the rest are
 * attributes and text seen in document order.
 */
export interface DomFeatures {
  title: string;
  /** tag-path shingles and their occurrence counts */
  structure: FeatureFamily;
  /** boilerplate word shingles and their counts */
  text: FeatureFamily;
  /** resource and link path shapes and their counts */
  resources: FeatureFamily;
  linkedHosts: Set<string>;
  /** raw href / src values, for identifier extraction (handles, favicons) */
  hrefs: string[];
  /** the host of each of `hrefs` (`urlHost`), null for a relative one: read once here, not again by each reader */
  hrefHosts: Array<string | null>;
  metas: Array<{ name: string; content: string }>;
  /** href of the first <link rel=canonical> */
  canonicalHref: string | null;
  logoTexts: string[];
  elementCount: number;
  /** visible text characters (outside script/style) */
  visibleTextChars: number;
  /** visible text, bounded, for page-kind phrases and brand checks */
  visibleText: string;
  /** the copyright signs of `visibleText`, found when first asked for */
  copyrightSigns: CopyrightSigns;
  truncated: boolean;
}

export interface DomLimits {
  /** elements visited at most; the rest of a huge page is ignored (and `truncated` set) */
  maxElements: number;
  /** ancestors kept in a structure shingle */
  pathDepth: number;
  /**
   * deepest nesting followed; the page is cut where the parser's open-element stack first gets
   * deeper. Besides bounding our arrays, this bounds htmlparser2's own per-tag stack work
   * (`unshift`, `indexOf` on close tags), which would otherwise grow with depth x elements.
   */
  maxNestingDepth: number;
  /** attributes read per tag; later ones are ignored (and `truncated` set) */
  maxAttributes: number;
}

/** real tags carry a few dozen attributes; a hostile one may carry a hundred thousand */
export const DEFAULT_MAX_ATTRIBUTES = 256;

export const DEFAULT_DOM_LIMITS: DomLimits = { maxElements: 60_000, pathDepth: 4, maxNestingDepth: 256, maxAttributes: DEFAULT_MAX_ATTRIBUTES };

const MAX_VISIBLE_TEXT = 200_000;
const MAX_HREFS = 5_000;
const MAX_LINKED_HOSTS = 1_000;
const MAX_METAS = 2_000;
const MAX_LOGO_TEXTS = 200;
/**
 * a bounded cache of per-URL work for resources: listing pages repeat the same asset URLs (an
 * icon per row). Anchors have none: about a quarter of a page's anchors repeat an href (27.6 %
 * over the corpus), and reading a link again cost less than hashing every href for the cache.
 */
const MAX_CACHED_URLS = 20_000;

/** Elements whose text is template (navigation, labels, headings) wherever they sit. */
const TEMPLATE_TEXT_TAGS = new Set(['title', 'nav', 'header', 'footer', 'label', 'button', 'th', 'legend', 'h1', 'h2', 'h3', 'option', 'caption']);
/** Elements whose content is code or foreign markup: neither structure nor text of the page. */
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg']);
/** The one URL attribute of each resource element. */
const RESOURCE_ATTR: Record<string, 'src' | 'href' | 'action'> = { script: 'src', link: 'href', img: 'src', iframe: 'src', form: 'action', source: 'src', embed: 'src' };
const LINK_REL_NOT_RESOURCE = /canonical|alternate|next|prev|amphtml/;
const BUTTON_TYPE = /^(submit|button|reset)$/i;

const KIND_OTHER = 0;
const KIND_A = 1;
const KIND_IMG = 2;
const KIND_META = 3;
const KIND_TITLE = 4;
const KIND_CONTROL = 5;
const KINDS: Record<string, number> = { a: KIND_A, img: KIND_IMG, meta: KIND_META, title: KIND_TITLE, input: KIND_CONTROL, textarea: KIND_CONTROL };

/** What the features need to know about a tag name, worked out once per name (tagTree.ts keeps it). */
interface TagInfo {
  template: boolean;
  skipContent: boolean;
  resourceAttr: 'src' | 'href' | 'action' | undefined;
  role: number;
  kind: number;
}

function tagInfo(name: string): TagInfo {
  return {
    template: TEMPLATE_TEXT_TAGS.has(name),
    skipContent: SKIP_CONTENT_TAGS.has(name),
    resourceAttr: Object.hasOwn(RESOURCE_ATTR, name) ? RESOURCE_ATTR[name] : undefined,
    role: name === 'table' ? ROLE_TABLE : name === 'tbody' || name === 'thead' || name === 'tfoot' ? ROLE_SECTION : name === 'tr' ? ROLE_ROW : ROLE_OTHER,
    kind: Object.hasOwn(KINDS, name) ? KINDS[name]! : KIND_OTHER,
  };
}

/** The attributes the features read (exported for the bench's floor). */
export const FEATURE_ATTRIBUTES = ['id', 'class', 'src', 'href', 'rel', 'action', 'name', 'property', 'http-equiv', 'content', 'alt', 'title', 'placeholder', 'value', 'type'] as const;
const DIALECT = new TagDialect(tagInfo, FEATURE_ATTRIBUTES);
/** the index the tree hands over for each attribute (its place in FEATURE_ATTRIBUTES) */
const at = (name: (typeof FEATURE_ATTRIBUTES)[number]): number => FEATURE_ATTRIBUTES.indexOf(name);
const AT_ID = at('id');
const AT_CLASS = at('class');
const AT_SRC = at('src');
const AT_HREF = at('href');
const AT_REL = at('rel');
const AT_ACTION = at('action');
const AT_NAME = at('name');
const AT_PROPERTY = at('property');
const AT_HTTP_EQUIV = at('http-equiv');
const AT_CONTENT = at('content');
const AT_ALT = at('alt');
const AT_TITLE = at('title');
const AT_PLACEHOLDER = at('placeholder');
const AT_VALUE = at('value');
const AT_TYPE = at('type');

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The tree's events turned into features; one instance per page. */
class PageScanner implements TreeHandler<TagInfo> {
  readonly structureWindows: PathWindows;
  readonly chunks = new TextChunks();
  readonly resources = new Map<string, number>();
  readonly linkedHosts = new Set<string>();
  readonly hrefs: string[] = [];
  readonly hrefHosts: Array<string | null> = [];
  readonly metas: Array<{ name: string; content: string }> = [];
  readonly logoTexts: string[] = [];
  title = '';
  canonicalHref: string | null = null;
  elementCount = 0;
  visibleTextChars = 0;
  /**
   * the visible text's pieces, each after a space, joined once at the end (`visibleText`): one
   * flat string made once, not two strings per text and a rope flattened by the first search.
   * The first piece is empty: the join puts the space before the first text.
   */
  private readonly visiblePieces: string[] = [''];
  private visibleLength = 0;
  truncated = false;
  private stopped = false;
  /** the tree this scanner is the handler of: it reads the texts it is given, and is stopped through it */
  private readonly tree: TagTree<TagInfo>;

  /** open-element stack, 1-based (index 0 is the document): tag-path window and template flag */
  private readonly frameWindow: Int32Array;
  private readonly frameTemplate: Uint8Array;
  /** 1 for an element the HTML tree builder would insert (tbody, tr) that htmlparser2 does not */
  private readonly frameImplied: Uint8Array;
  /** table role of the element (ROLE_*), to know where the tree builder implies a tbody or tr */
  private readonly frameRole: Uint8Array;
  private depth = 0;
  /** depth of the script/style/svg/... element whose content is being skipped, or -1 */
  private skipDepth = -1;
  /** depth of the first non-empty <title> being read, or -1 */
  private titleDepth = -1;
  private titleText = '';
  private pendingText = '';
  private hasText = false;

  // the element whose attributes are still arriving (flushed at the next event)
  private pending = false;
  private attributeCount = 0;
  private tag: TagName<TagInfo> | null = null;
  private id: string | null = null;
  private cls: string | null = null;
  private src: string | null = null;
  private href: string | null = null;
  private rel: string | null = null;
  private action: string | null = null;
  private metaName: string | null = null;
  private property: string | null = null;
  private httpEquiv: string | null = null;
  private content: string | null = null;
  private alt: string | null = null;
  private titleAttr: string | null = null;
  private placeholder: string | null = null;
  private value: string | null = null;
  private type: string | null = null;

  private readonly resourceShapes = new Map<string, { shape: string | null; host: string | null }>();

  constructor(
    html: string,
    private readonly limits: DomLimits,
  ) {
    this.tree = new TagTree(DIALECT, this, html);
    this.structureWindows = new PathWindows(limits.pathDepth);
    this.frameWindow = new Int32Array(limits.maxNestingDepth + 2);
    this.frameTemplate = new Uint8Array(limits.maxNestingDepth + 2);
    this.frameImplied = new Uint8Array(limits.maxNestingDepth + 2);
    this.frameRole = new Uint8Array(limits.maxNestingDepth + 2);
  }

  private stop(): void {
    this.truncated = true;
    this.stopped = true;
    this.tree.stop();
  }

  // the tree sends no event after stop(): only a stop inside a handler is checked for
  openTag(tag: TagName<TagInfo>): void {
    this.endText();
    this.flush();
    if (this.stopped) return;
    const name = tag.name;
    const implied = this.skipDepth >= 0 ? 0 : impliedTableParents(name, this.frameRole[this.depth]!);
    if (this.depth + implied + 1 > this.limits.maxNestingDepth) {
      this.stop();
      return;
    }
    if (implied > 0) {
      if (this.frameRole[this.depth] === ROLE_TABLE) this.openImplied('tbody', ROLE_SECTION);
      if (!this.stopped && (name === 'td' || name === 'th')) this.openImplied('tr', ROLE_ROW);
      if (this.stopped) return;
    }
    this.depth++;
    this.frameImplied[this.depth] = 0;
    this.frameRole[this.depth] = ROLE_OTHER;
    if (this.skipDepth >= 0) return;
    this.pending = true;
    this.attributeCount = 0;
    this.tag = tag;
    this.id = this.cls = this.src = this.href = this.rel = this.action = null;
    this.metaName = this.property = this.httpEquiv = this.content = null;
    this.alt = this.titleAttr = this.placeholder = this.value = this.type = null;
  }

  attribute(index: number, value: string): void {
    if (!this.pending) return;
    // real tags carry a few dozen attributes: past the bound the rest of the tag is ignored
    if (++this.attributeCount > this.limits.maxAttributes) {
      this.truncated = true;
      return;
    }
    // the first of duplicate attributes wins, as in the HTML tree builders
    switch (index) {
      case AT_ID: if (this.id === null) this.id = value; break;
      case AT_CLASS: if (this.cls === null) this.cls = value; break;
      case AT_SRC: if (this.src === null) this.src = value; break;
      case AT_HREF: if (this.href === null) this.href = value; break;
      case AT_REL: if (this.rel === null) this.rel = value; break;
      case AT_ACTION: if (this.action === null) this.action = value; break;
      case AT_NAME: if (this.metaName === null) this.metaName = value; break;
      case AT_PROPERTY: if (this.property === null) this.property = value; break;
      case AT_HTTP_EQUIV: if (this.httpEquiv === null) this.httpEquiv = value; break;
      case AT_CONTENT: if (this.content === null) this.content = value; break;
      case AT_ALT: if (this.alt === null) this.alt = value; break;
      case AT_TITLE: if (this.titleAttr === null) this.titleAttr = value; break;
      case AT_PLACEHOLDER: if (this.placeholder === null) this.placeholder = value; break;
      case AT_VALUE: if (this.value === null) this.value = value; break;
      case AT_TYPE: if (this.type === null) this.type = value; break;
      default: break;
    }
  }

  text(start: number, end: number): void {
    this.flush(); // the text may be the first content of a pending script or svg
    if (this.skipDepth >= 0) return;
    // about half the text runs of a page are the white space between tags, which trim() empties:
    // not sliced. Only a run that begins a text outside <title> may go (there leading white space
    // is all it would add); elsewhere it is text between words.
    if (!this.hasText && this.titleDepth < 0 && this.tree.isAsciiWhitespace(start, end)) return;
    const data = this.tree.textOf(start, end);
    // one text node may come in pieces (around a stray end tag the tree ignores): joined until the next tag
    this.pendingText = this.hasText ? this.pendingText + data : data;
    this.hasText = true;
  }

  closeTag(): void {
    this.endText();
    this.flush();
    // elements the tree builder implies (a table's tbody) end with the real element that holds them
    while (this.depth > 0 && this.frameImplied[this.depth] === 1) this.depth--;
    if (this.depth === 0) return;
    if (this.depth === this.skipDepth) this.skipDepth = -1;
    if (this.depth === this.titleDepth) {
      this.title = this.titleText.trim().replace(/\s+/g, ' ').slice(0, 500);
      this.titleDepth = -1;
      this.titleText = '';
    }
    this.depth--;
  }

  boundary(): void {
    this.endText();
    this.flush();
  }

  /** The visible text, bounded: each text after a space. */
  visibleText(): string {
    // the empty first piece puts the space before the first text: one flat string, where
    // ' ' + join would be a pair that the first regex to read it copies flat
    return this.visiblePieces.length === 1 ? '' : this.visiblePieces.join(' ');
  }

  /** Reads the whole page; then the last text and element (the tree has closed what was open). */
  run(): void {
    this.tree.run();
    if (!this.stopped) this.boundary();
  }

  /** One text node has ended: count it, keep it bounded for page-kind phrases, queue it for the text family. */
  private endText(): void {
    if (!this.hasText) return;
    const data = this.pendingText;
    this.pendingText = '';
    this.hasText = false;
    if (this.titleDepth >= 0 && this.titleText.length < 4096) this.titleText += data;
    const trimmed = data.trim();
    if (trimmed.length === 0) return;
    this.visibleTextChars += trimmed.length;
    if (this.visibleLength < MAX_VISIBLE_TEXT) {
      // as `visible += ' ' + trimmed`, cut at MAX_VISIBLE_TEXT characters
      const room = MAX_VISIBLE_TEXT - this.visibleLength;
      const piece = trimmed.length <= room ? trimmed : trimmed.slice(0, room);
      this.visiblePieces.push(piece);
      this.visibleLength += piece.length + 1;
    }
    this.chunks.push(this.frameWindow[this.depth]!, trimmed.length > 2000 ? trimmed.slice(0, 2000) : trimmed, this.frameTemplate[this.depth] === 1);
  }

  /** An element the tree builder inserts without a tag: counted like any element, no attributes. */
  private openImplied(name: string, role: number): void {
    if (++this.elementCount > this.limits.maxElements) {
      this.stop();
      return;
    }
    const d = ++this.depth;
    this.frameWindow[d] = this.structureWindows.child(this.frameWindow[d - 1]!, name, null, null);
    this.frameTemplate[d] = this.frameTemplate[d - 1]!;
    this.frameImplied[d] = 1;
    this.frameRole[d] = role;
  }

  /** The pending element's attributes are complete: compute its features. */
  private flush(): void {
    if (!this.pending) return;
    this.pending = false;
    if (++this.elementCount > this.limits.maxElements) {
      this.stop();
      return;
    }
    const tagName = this.tag!;
    const tag = tagName.info;
    const name = tagName.name;
    const d = this.depth;
    const window = this.structureWindows.child(this.frameWindow[d - 1]!, name, this.id, this.cls);
    this.frameWindow[d] = window;
    this.frameTemplate[d] = this.frameTemplate[d - 1] === 1 || tag.template ? 1 : 0;
    this.frameRole[d] = tag.role;

    const resourceAttr = tag.resourceAttr;
    if (resourceAttr !== undefined) {
      const v = resourceAttr === 'src' ? this.src : resourceAttr === 'href' ? this.href : this.action;
      if (v) this.resource(name, v);
    }
    const kind = tag.kind;
    if (kind === KIND_A) {
      if (this.href) this.anchor(this.href);
      this.logo(null);
    } else if (kind === KIND_IMG) this.logo(this.src);
    else if (kind === KIND_META) {
      const key = this.metaName ?? this.property ?? this.httpEquiv;
      if (key && this.content !== null && this.metas.length < MAX_METAS) this.metas.push({ name: key.toLowerCase(), content: this.content.slice(0, 2048) });
    } else if (kind === KIND_TITLE) {
      if (this.title === '' && this.titleDepth < 0) this.titleDepth = d;
    } else if (kind === KIND_CONTROL) {
      // labels a user reads: template text under the control's own path
      if (this.placeholder) this.chunks.push(window, this.placeholder.slice(0, 200), true);
      if (this.value && BUTTON_TYPE.test(this.type ?? '')) this.chunks.push(window, this.value.slice(0, 200), true);
      if (this.titleAttr) this.chunks.push(window, this.titleAttr.slice(0, 200), true);
    }
    if (tag.skipContent) this.skipDepth = d;
  }

  private resource(name: string, v: string): void {
    if (name === 'link') {
      const rel = (this.rel ?? '').toLowerCase();
      if (rel === 'canonical' && this.canonicalHref === null) this.canonicalHref = v.slice(0, 4096);
      if (LINK_REL_NOT_RESOURCE.test(rel)) return;
    }
    let url = this.resourceShapes.get(v);
    if (url === undefined) {
      url = { shape: pathShape(v), host: urlHost(v) };
      if (this.resourceShapes.size < MAX_CACHED_URLS) this.resourceShapes.set(v, url);
    }
    if (url.shape) bump(this.resources, `${name}:${url.shape}`);
    if (this.hrefs.length < MAX_HREFS) {
      this.hrefs.push(v);
      this.hrefHosts.push(url.host);
    }
  }

  private anchor(href: string): void {
    const link = interpretLink(href);
    if (this.hrefs.length < MAX_HREFS) {
      this.hrefs.push(href);
      this.hrefHosts.push(link.host);
    }
    if (link.host) {
      if (this.linkedHosts.size < MAX_LINKED_HOSTS) this.linkedHosts.add(link.host);
    } else if (link.shape) {
      // the shape of internal links is the site's URL scheme (/torrent/#/*, /browse/#): a template trait
      bump(this.resources, `a:${link.shape}`);
    }
  }

  /** Logo images and links name the site in their alt / title text. */
  private logo(imgSrc: string | null): void {
    if (!this.alt && !this.titleAttr) return;
    if (!(hasLogo(this.cls) || hasLogo(this.id) || hasLogo(imgSrc))) return;
    for (const t of [this.alt, this.titleAttr]) {
      const trimmed = t?.trim();
      if (trimmed && this.logoTexts.length < MAX_LOGO_TEXTS) this.logoTexts.push(trimmed.slice(0, 200));
    }
  }
}

const ROLE_OTHER = 0;
const ROLE_TABLE = 1;
const ROLE_SECTION = 2;
const ROLE_ROW = 3;

/**
 * How many elements the HTML tree builder inserts above `name` given its parent's table role
 * (htmlparser2 inserts none): a row straight in a table gets a tbody, a cell a tbody and a row
 * (or a row, in a tbody/thead/tfoot). Without this, `<table><tr>` and `<table><tbody><tr>`
 * would be different tag paths, and a tag path is what structure compares.
 */
function impliedTableParents(name: string, parentRole: number): number {
  if (parentRole === ROLE_TABLE) return name === 'tr' ? 1 : name === 'td' || name === 'th' ? 2 : 0;
  if (parentRole === ROLE_SECTION) return name === 'td' || name === 'th' ? 1 : 0;
  return 0;
}

function hasLogo(s: string | null): boolean {
  return s !== null && s.length >= 4 && s.toLowerCase().includes('logo');
}

export function extractDomFeatures(html: string, limits: DomLimits = DEFAULT_DOM_LIMITS): DomFeatures {
  const scanner = new PageScanner(html, limits);
  scanner.run();
  const windows = scanner.structureWindows;
  const shingles = scanner.chunks.shingleTable(windows);
  const visibleText = scanner.visibleText();
  return {
    title: scanner.title,
    structure: new HashedFamily(windows.size, (acc, weight) => windows.hashInto(acc, weight), () => windows.counts()),
    text: new HashedFamily(shingles.size, (acc, weight) => shingles.hashInto(acc, weight), () => shingles.spelt()),
    resources: new MapFamily(scanner.resources),
    linkedHosts: scanner.linkedHosts,
    hrefs: scanner.hrefs,
    hrefHosts: scanner.hrefHosts,
    metas: scanner.metas,
    canonicalHref: scanner.canonicalHref,
    logoTexts: scanner.logoTexts,
    elementCount: Math.min(scanner.elementCount, limits.maxElements),
    visibleTextChars: scanner.visibleTextChars,
    visibleText,
    copyrightSigns: new CopyrightSigns(visibleText),
    truncated: scanner.truncated,
  };
}
