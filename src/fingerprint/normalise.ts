/**
 * Normalisers that make features survive what changes between two captures of one site:
 * numbers (ids, counts, dates), build hashes, hosts (a mirror serves the same paths elsewhere),
 * and cache-busting query strings.
 */

const HASHLIKE = /[0-9a-f]{6,}/i;
const HAS_DIGIT = /\d/;

/** A class or id token kept only if it is stable: hashed names (css-1a2b3c) are dropped, digit runs folded. */
export function stableToken(token: string): string | null {
  const t = token.toLowerCase();
  if (t.length === 0 || t.length > 40) return null;
  if (HAS_DIGIT.test(t) && HASHLIKE.test(t)) return null;
  return t.replace(/\d+/g, '#');
}

const WORD = /[\p{L}][\p{L}\p{M}'’]*/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const MAX_WORD = 40;

/** Words of a text for text shingles: lower-case letters only, digits and punctuation dropped. */
export function textWords(text: string, out: string[], max: number): void {
  if (!NON_ASCII.test(text)) {
    asciiWords(text.toLowerCase(), out, max);
    return;
  }
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null && out.length < max) {
    const w = m[0].toLowerCase();
    if (w.length <= MAX_WORD) out.push(w);
  }
}

/**
 * The same words for ASCII text (most template text), without a regex match object per word: in
 * ASCII, \p{L} is [A-Za-z], \p{M} is empty and ’ is absent, and lower-casing first moves no word
 * boundary, so `[a-z][a-z']*` over the lower-cased text gives exactly the words above.
 */
function asciiWords(lower: string, out: string[], max: number): void {
  const n = lower.length;
  let i = 0;
  while (i < n && out.length < max) {
    const c = lower.charCodeAt(i);
    if (c < 97 || c > 122) {
      i++;
      continue;
    }
    const start = i++;
    for (; i < n; i++) {
      const d = lower.charCodeAt(i);
      if (!((d >= 97 && d <= 122) || d === 39)) break;
    }
    if (i - start <= MAX_WORD) out.push(lower.slice(start, i));
  }
}

/**
 * A URL's path with the parts that change per item or per build folded: digit runs to `#`,
 * hash-like and very long segments to `*`. Host, query and fragment are dropped: a mirror or a
 * proxy serves the same paths from another host, and query strings are mostly cache-busters.
 */
export function pathShape(rawUrl: string): string | null {
  const path = urlPath(rawUrl);
  if (path === null || path === '/') return path;
  let shape = '';
  let start = 0;
  for (;;) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (start > 0) shape += '/';
    shape += segmentShape(path.slice(start, end));
    if (slash < 0) return shape;
    start = slash + 1;
  }
}

const NOT_A_PATH = /^(?:data|javascript|mailto|tel|about|blob):/i;
const ABSOLUTE_PATH = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*([^?#]*)/i;
const QUERY_OR_FRAGMENT = /[?#]/;

/** The path a URL's shape is made of (cut at 300 characters), '/' for none, null for no path at all. */
function urlPath(rawUrl: string): string | null {
  const url = rawUrl.trim();
  if (url === '' || NOT_A_PATH.test(url) || url.startsWith('#')) return null;
  let path: string;
  const abs = ABSOLUTE_PATH.exec(url);
  if (abs) path = abs[1] ?? '';
  else path = url.split(QUERY_OR_FRAGMENT, 1)[0] ?? '';
  if (path === '' || path === '/') return '/';
  return path.length > 300 ? path.slice(0, 300) : path;
}

/** One path segment folded: digit runs to `#`, hash-like and very long segments to `*`. */
function segmentShape(seg: string): string {
  if (seg === '') return seg;
  let s: string;
  if (seg.includes('%')) {
    try {
      s = decodeURIComponent(seg).toLowerCase();
    } catch {
      s = seg.toLowerCase();
    }
  } else s = seg.toLowerCase(); // nothing to decode: decodeURIComponent would return it unchanged
  if (s.length > 40) return '*';
  if (HAS_DIGIT.test(s)) return HASHLIKE.test(s) ? (s.includes('.') ? `*${extension(s)}` : '*') : s.replace(DIGITS, '#');
  return s;
}

const DIGITS = /\d+/g;

function extension(s: string): string {
  const dot = s.lastIndexOf('.');
  return dot >= 0 && s.length - dot <= 6 ? s.slice(dot) : '';
}

/** Lower-case host of an absolute (or protocol-relative) URL, or null for relative ones. */
export function urlHost(rawUrl: string): string | null {
  // most links on a page are relative: without "//" the pattern below cannot match
  if (!rawUrl.includes('//')) return null;
  const m = /^(?:(?:https?|ftp|wss?):)?\/\/([^/?#:@]+(?::[^/?#@]*)?@)?([^/?#:]+)/i.exec(rawUrl.trim());
  if (!m) return null;
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  return host.length > 0 && host.length <= 253 ? host : null;
}

/** Brand-comparable form of a name: letters and digits only, lower-case. */
export function brandKey(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * What an anchor's href contributes: the host it points at (absolute links), or the shape of
 * an internal link, cut to its first two segments (deeper parts are item names).
 */
export function interpretLink(href: string): { host: string | null; shape: string | null } {
  const host = urlHost(href);
  if (host) return { host, shape: null };
  const path = urlPath(href);
  if (path === null) return { host: null, shape: null };
  if (path === '/') return { host: null, shape: '/' };
  // the first three parts of pathShape(href).split('/'), and whether there are more, without
  // folding the rest of the path (item names, mostly); a decoded %2F splits a segment, as there
  const parts: string[] = [];
  let start = 0;
  while (parts.length <= 3) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    for (const part of segmentShape(path.slice(start, end)).split('/')) parts.push(part);
    if (slash < 0) break;
    start = slash + 1;
  }
  return { host: null, shape: parts.slice(0, 3).join('/') + (parts.length > 3 ? '/…' : '') };
}
