import { load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { limitNestingDepth } from './nestingLimit.js';
import { pathShape, stableToken, textWords, urlHost } from './normalise.js';

/**
 * One iterative walk over the parsed page that collects everything the fingerprint needs, so the
 * DOM is traversed once. Iterative, not recursive: hostile pages nest 200,000 elements deep.
 */
export interface DomFeatures {
  title: string;
  /** tag-path shingles -> occurrence count */
  structure: Map<string, number>;
  /** boilerplate word shingles -> count */
  text: Map<string, number>;
  /** resource and link path shapes -> count */
  resources: Map<string, number>;
  linkedHosts: Set<string>;
  /** raw href / src values, for identifier extraction (handles, favicons) */
  hrefs: string[];
  metas: Array<{ name: string; content: string }>;
  /** href of the first <link rel=canonical> */
  canonicalHref: string | null;
  logoTexts: string[];
  elementCount: number;
  /** visible text characters (outside script/style) */
  visibleTextChars: number;
  /** visible text, bounded, for page-kind phrases and brand checks */
  visibleText: string;
  truncated: boolean;
}

export interface DomLimits {
  /** elements visited at most; the rest of a huge page is ignored (and `truncated` set) */
  maxElements: number;
  /** ancestors kept in a structure shingle */
  pathDepth: number;
  /** deepest nesting parsed; deeper markup is cut before parsing (see nestingLimit.ts) */
  maxNestingDepth: number;
}

export const DEFAULT_DOM_LIMITS: DomLimits = { maxElements: 60_000, pathDepth: 4, maxNestingDepth: 256 };

const MAX_TEXT_WORDS = 20_000;
const MAX_VISIBLE_TEXT = 200_000;
const MAX_HREFS = 5_000;
const MAX_LINKED_HOSTS = 1_000;

/** Elements whose text is template (navigation, labels, headings) wherever they sit. */
const TEMPLATE_TEXT_TAGS = new Set(['title', 'nav', 'header', 'footer', 'label', 'button', 'th', 'legend', 'h1', 'h2', 'h3', 'option', 'caption']);
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const RESOURCE_ATTRS: Record<string, string[]> = {
  script: ['src'],
  link: ['href'],
  img: ['src'],
  iframe: ['src'],
  form: ['action'],
  source: ['src'],
  embed: ['src'],
};

interface Frame {
  node: AnyNode;
  path: string[];
  /** path joined with '>', computed once per element and shared by its children's text */
  pathKey: string;
  /** index of the nearest template-text ancestor's kind, or '' */
  template: boolean;
}

function elementToken(el: Element): string {
  const attribs = el.attribs;
  let token = el.name;
  const id = attribs.id ? stableToken(attribs.id) : null;
  if (id) token += `#${id}`;
  const cls = attribs.class;
  if (cls) {
    const classes: string[] = [];
    for (const c of cls.split(/\s+/)) {
      const t = stableToken(c);
      if (t) classes.push(t);
    }
    classes.sort();
    for (const c of classes.slice(0, 3)) token += `.${c}`;
  }
  return token;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function extractDomFeatures(html: string, limits: DomLimits = DEFAULT_DOM_LIMITS): DomFeatures {
  const limited = limitNestingDepth(html, limits.maxNestingDepth);
  const $ = load(limited.html, { scriptingEnabled: false });
  const root = $.root()[0]!;
  const structure = new Map<string, number>();
  const resources = new Map<string, number>();
  const linkedHosts = new Set<string>();
  const hrefs: string[] = [];
  const metas: Array<{ name: string; content: string }> = [];
  const logoTexts: string[] = [];
  // text chunks are judged after the walk: boilerplate = under a path that is not repeated
  const textChunks: Array<{ path: string; text: string; template: boolean }> = [];
  let title = '';
  let canonicalHref: string | null = null;
  let elementCount = 0;
  let visibleTextChars = 0;
  let visibleText = '';
  let truncated = limited.truncated;

  const stack: Frame[] = [];
  const children = (root as unknown as { children: AnyNode[] }).children;
  for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, path: [], pathKey: '', template: false });
  // pages repeat the same tag/id/class combination hundreds of times: normalise each once
  const tokenCache = new Map<string, string>();

  while (stack.length > 0) {
    const { node, path, pathKey, template } = stack.pop()!;
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      const trimmed = data.trim();
      if (trimmed.length > 0) {
        visibleTextChars += trimmed.length;
        if (visibleText.length < MAX_VISIBLE_TEXT) visibleText += ` ${trimmed.slice(0, MAX_VISIBLE_TEXT - visibleText.length)}`;
        textChunks.push({ path: pathKey, text: trimmed.slice(0, 2000), template });
      }
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const el = node as Element;
    if (++elementCount > limits.maxElements) {
      truncated = true;
      break;
    }
    const cacheKey = `${el.name}|${el.attribs.id ?? ''}|${el.attribs.class ?? ''}`;
    let token = tokenCache.get(cacheKey);
    if (token === undefined) {
      token = elementToken(el);
      if (tokenCache.size < 10_000) tokenCache.set(cacheKey, token);
    }
    const myPath = path.length >= limits.pathDepth ? [...path.slice(1), token] : [...path, token];
    const myKey = myPath.join('>');
    bump(structure, myKey);

    const name = el.name;
    const attribs = el.attribs;
    const resourceAttrs = RESOURCE_ATTRS[name];
    if (resourceAttrs) {
      for (const a of resourceAttrs) {
        const v = attribs[a];
        if (!v) continue;
        const rel = name === 'link' ? (attribs.rel ?? '').toLowerCase() : '';
        if (name === 'link' && rel === 'canonical' && canonicalHref === null) canonicalHref = v.slice(0, 4096);
        if (name === 'link' && /canonical|alternate|next|prev|amphtml/.test(rel)) continue;
        const shape = pathShape(v);
        if (shape) bump(resources, `${name}:${shape}`);
        if (hrefs.length < MAX_HREFS) hrefs.push(v);
      }
    }
    if (name === 'a' && attribs.href) {
      const href = attribs.href;
      if (hrefs.length < MAX_HREFS) hrefs.push(href);
      const host = urlHost(href);
      if (host) {
        if (linkedHosts.size < MAX_LINKED_HOSTS) linkedHosts.add(host);
      } else {
        // the shape of internal links is the site's URL scheme (/torrent/#/*, /browse/#): a template trait
        const shape = pathShape(href);
        if (shape) bump(resources, `a:${linkShape(shape)}`);
      }
    }
    if (name === 'meta') {
      const key = (attribs.name ?? attribs.property ?? attribs['http-equiv'] ?? '').toLowerCase();
      if (key && attribs.content !== undefined) metas.push({ name: key, content: attribs.content.slice(0, 2048) });
    }
    if (name === 'title' && title === '') title = $(el).text().trim().replace(/\s+/g, ' ').slice(0, 500);
    if (name === 'img' || name === 'a') {
      const marker = `${attribs.class ?? ''} ${attribs.id ?? ''} ${name === 'img' ? (attribs.src ?? '') : ''}`.toLowerCase();
      if (marker.includes('logo')) {
        for (const t of [attribs.alt, attribs.title]) if (t && t.trim()) logoTexts.push(t.trim().slice(0, 200));
      }
    }
    if (name === 'input' || name === 'textarea') {
      for (const a of ['placeholder', 'value', 'title']) {
        const v = attribs[a];
        if (v && (a !== 'value' || /^(submit|button|reset)$/i.test(attribs.type ?? ''))) textChunks.push({ path: myKey, text: v.slice(0, 200), template: true });
      }
    }
    if (SKIP_CONTENT_TAGS.has(name)) continue;
    const kids = el.children;
    const childTemplate = template || TEMPLATE_TEXT_TAGS.has(name);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, path: myPath, pathKey: myKey, template: childTemplate });
  }

  const text = boilerplateShingles(textChunks, structure);
  return { title, structure, text, resources, linkedHosts, hrefs, metas, canonicalHref, logoTexts, elementCount, visibleTextChars, visibleText, truncated };
}

/** Only the first two segments of an internal link's shape: deeper parts are item names. */
function linkShape(shape: string): string {
  const parts = shape.split('/');
  return parts.slice(0, 3).join('/') + (parts.length > 3 ? '/…' : '');
}

/**
 * Word unigrams and bigrams of template text: text under a tag path that occurs at most twice on
 * the page (listing rows repeat their path dozens of times and change every minute), plus text in
 * navigation, headings, labels and the like wherever it sits.
 */
function boilerplateShingles(chunks: Array<{ path: string; text: string; template: boolean }>, structure: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  const words: string[] = [];
  for (const c of chunks) {
    if (words.length >= MAX_TEXT_WORDS) break;
    if (!c.template && (structure.get(c.path) ?? 0) > 2) continue;
    const start = words.length;
    textWords(c.text, words, MAX_TEXT_WORDS);
    for (let i = start; i < words.length; i++) {
      bump(out, words[i]!);
      if (i > start) bump(out, `${words[i - 1]} ${words[i]}`);
    }
  }
  return out;
}
