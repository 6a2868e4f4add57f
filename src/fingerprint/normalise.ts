/**
 * Normalisers that make features survive what changes between two captures of one site:
 * numbers (ids, counts, dates), build hashes, hosts (a mirror serves the same paths elsewhere),
 * and cache-busting query strings.
 */

const HASHLIKE = /[0-9a-f]{6,}/i;
const HAS_DIGIT = /\d/;

/*
 * The folds below read most tokens and segments through `asciiTraits`, one loop over the
 * characters, instead of a lower-casing copy and two or three regexes each: a listing page has a
 * thousand links, nearly all of them different, so the per-link work is not saved by a cache.
 * For ASCII, lower-casing changes no length and moves no digit or hex run, so the traits of the
 * raw string are those of its lower case; any other string takes the regex way.
 * test/fingerprint/normalise.test.ts compares both ways on generated strings.
 */
const T_NON_ASCII = 1;
const T_DIGIT = 2; // [0-9]
const T_UPPER = 4; // [A-Z]
const T_HEX_RUN = 8; // six [0-9a-fA-F] in a row (HASHLIKE)
const T_DOT = 16;
const T_PERCENT = 32;

function asciiTraits(s: string): number {
  let traits = 0;
  let hexRun = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      traits |= T_DIGIT;
      hexRun++;
    } else if (c >= 97 && c <= 102) hexRun++;
    else if (c >= 65 && c <= 90) {
      traits |= T_UPPER;
      hexRun = c <= 70 ? hexRun + 1 : 0;
    } else {
      hexRun = 0;
      if (c >= 128) traits |= T_NON_ASCII;
      else if (c === 46) traits |= T_DOT;
      else if (c === 37) traits |= T_PERCENT;
    }
    if (hexRun >= 6) traits |= T_HEX_RUN;
  }
  return traits;
}

/** `s.replace(/\d+/g, '#')`, for a string that has digits */
function foldDigits(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    out += s.slice(from, i) + '#';
    while (i + 1 < s.length && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57) i++;
    from = i + 1;
  }
  return out + s.slice(from);
}

/** A class or id token kept only if it is stable: hashed names (css-1a2b3c) are dropped, digit runs folded. */
export function stableToken(token: string): string | null {
  const traits = asciiTraits(token);
  if ((traits & T_NON_ASCII) !== 0) return stableTokenSlow(token);
  if (token.length === 0 || token.length > 40) return null;
  if ((traits & T_DIGIT) === 0) return (traits & T_UPPER) !== 0 ? token.toLowerCase() : token;
  if ((traits & T_HEX_RUN) !== 0) return null;
  return foldDigits((traits & T_UPPER) !== 0 ? token.toLowerCase() : token);
}

function stableTokenSlow(token: string): string | null {
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

/** The path a URL's shape is made of (cut at 300 characters), '/' for none, null for no path at all. */
function urlPath(rawUrl: string): string | null {
  const url = rawUrl.trim();
  // the two patterns need a ':' and a '//': most links, relative, are spared both
  if (url === '' || (url.indexOf(':') >= 0 && NOT_A_PATH.test(url)) || url.charCodeAt(0) === 35 /* # */) return null;
  let path: string;
  const abs = url.indexOf('//') >= 0 ? ABSOLUTE_PATH.exec(url) : null;
  if (abs) path = abs[1] ?? '';
  else path = url.slice(0, queryOrFragment(url));
  if (path === '' || path === '/') return '/';
  return path.length > 300 ? path.slice(0, 300) : path;
}

/** Where the query or fragment of a relative URL begins (its length if neither) */
function queryOrFragment(url: string): number {
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) return i;
  }
  return url.length;
}

/** One path segment folded: digit runs to `#`, hash-like and very long segments to `*`. */
function segmentShape(seg: string): string {
  if (seg === '') return seg;
  const traits = asciiTraits(seg);
  if ((traits & (T_NON_ASCII | T_PERCENT)) !== 0) return segmentShapeSlow(seg);
  if (seg.length > 40) return '*';
  const s = (traits & T_UPPER) !== 0 ? seg.toLowerCase() : seg;
  if ((traits & T_DIGIT) === 0) return s;
  if ((traits & T_HEX_RUN) !== 0) return (traits & T_DOT) !== 0 ? `*${extension(s)}` : '*';
  return foldDigits(s);
}

/** segmentShape of a segment with an escape or a character that is not ASCII */
function segmentShapeSlow(seg: string): string {
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

/**
 * Lower-case host of an absolute (or protocol-relative) URL, or null for relative ones: what
 * `/^(?:(?:https?|ftp|wss?):)?\/\/([^/?#:@]+(?::[^/?#@]*)?@)?([^/?#:]+)/i` finds (user info
 * skipped), with one trailing dot dropped. Read character by character, as it is asked of every
 * link of a page (normaliseReference.ts keeps the pattern, and the test compares the two).
 */
export function urlHost(rawUrl: string): string | null {
  // most links on a page are relative: without "//" there is no host
  if (!rawUrl.includes('//')) return null;
  const url = rawUrl.trim();
  let i = schemeLength(url);
  if (url.charCodeAt(i) !== 47 || url.charCodeAt(i + 1) !== 47) return null;
  i += 2;
  const start = i;
  // user info: a run without / ? # : @, then perhaps ':' and a run without / ? # @, then '@'
  let j = i;
  while (j < url.length && !isHostEnd(url.charCodeAt(j)) && url.charCodeAt(j) !== 64) j++;
  if (j > i) {
    let k = j;
    if (url.charCodeAt(k) === 58) {
      k++;
      while (k < url.length && !isHostEnd(url.charCodeAt(k), true) && url.charCodeAt(k) !== 64) k++;
    }
    if (url.charCodeAt(k) === 64) i = k + 1;
  }
  let end = hostEnd(url, i);
  // no host after the user info: the pattern then reads the host from the start, '@' and all
  if (end === i && i > start) end = hostEnd(url, (i = start));
  if (end === i) return null;
  let host = url.slice(i, end).toLowerCase();
  if (host.charCodeAt(host.length - 1) === 46) host = host.slice(0, -1);
  return host.length > 0 && host.length <= 253 ? host : null;
}

function hostEnd(url: string, from: number): number {
  let end = from;
  while (end < url.length && !isHostEnd(url.charCodeAt(end))) end++;
  return end;
}

/** '/', '?', '#', and ':' unless a colon is allowed */
function isHostEnd(c: number, colonAllowed = false): boolean {
  return c === 47 || c === 63 || c === 35 || (c === 58 && !colonAllowed);
}

/** Length of a leading `http:`, `https:`, `ftp:`, `ws:` or `wss:` (any case), else 0. */
function schemeLength(url: string): number {
  const colon = url.indexOf(':');
  if (colon < 2 || colon > 5) return 0;
  const scheme = url.slice(0, colon).toLowerCase();
  return scheme === 'http' || scheme === 'https' || scheme === 'ftp' || scheme === 'ws' || scheme === 'wss' ? colon + 1 : 0;
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
    const shape = segmentShape(path.slice(start, end));
    if (shape.indexOf('/') < 0) parts.push(shape);
    else for (const part of shape.split('/')) parts.push(part);
    if (slash < 0) break;
    start = slash + 1;
  }
  return { host: null, shape: parts.slice(0, 3).join('/') + (parts.length > 3 ? '/…' : '') };
}
