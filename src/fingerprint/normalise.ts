/**
 * Normalisers that make features survive what changes between two captures of one site:
 * numbers (ids, counts, dates), build hashes, hosts (a mirror serves the same paths elsewhere),
 * and cache-busting query strings.
 */

import { isAscii } from '../text/ascii.js';

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
const MAX_WORD = 40;

/** Words of a text for text shingles: lower-case letters only, digits and punctuation dropped. */
export function textWords(text: string, out: string[], max: number): void {
  if (isAscii(text)) {
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
  const ranges: number[] = [];
  asciiWordRanges(lower, ranges, max - out.length);
  for (let k = 0; k < ranges.length; k += 2) out.push(lower.slice(ranges[k], ranges[k + 1]));
}

/**
 * The words of `asciiWords` as ranges: the start and end of each word of `lower` (lower-cased
 * ASCII text) pushed in pairs onto `out`, at most `room` words; no string made.
 */
export function asciiWordRanges(lower: string, out: number[], room: number): void {
  const n = lower.length;
  let i = 0;
  while (i < n && out.length < 2 * room) {
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
    if (i - start <= MAX_WORD) out.push(start, i);
  }
}

/**
 * A URL's path with the parts that change per item or per build folded: digit runs to `#`,
 * hash-like and very long segments to `*`. Host, query and fragment are dropped: a mirror or a
 * proxy serves the same paths from another host, and query strings are mostly cache-busters.
 */
export function pathShape(rawUrl: string): string | null {
  const plain = plainShape(rawUrl, Infinity);
  if (plain !== undefined) return plain;
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

/** Lower-case host of an absolute (or protocol-relative) URL, or null for relative ones. */
export function urlHost(rawUrl: string): string | null {
  // most links on a page are relative: without "//" the pattern below cannot match
  if (!rawUrl.includes('//')) return null;
  const plain = plainHost(rawUrl);
  if (plain !== undefined) return plain;
  const m = /^(?:(?:https?|ftp|wss?):)?\/\/([^/?#:@]+(?::[^/?#@]*)?@)?([^/?#:]+)/i.exec(rawUrl.trim());
  if (!m) return null;
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  return host.length > 0 && host.length <= 253 ? host : null;
}

/**
 * `urlHost` of most absolute links, read in one pass without the pattern: `http://`, `https://`
 * (either case) or `//`, then a host of ASCII up to `/`, `?`, `#` or `:`, with printable ASCII
 * at both ends (nothing for `trim` to take). undefined for any other URL, and wherever an `@`
 * could make the first part userinfo (the pattern then reads the host after it), which take the
 * pattern's way. test/fingerprint/normalise.test.ts compares both with the pattern alone.
 */
function plainHost(url: string): string | null | undefined {
  const n = url.length;
  const first = url.charCodeAt(0);
  const last = url.charCodeAt(n - 1);
  if (first <= 32 || first >= 127 || last <= 32 || last >= 127) return undefined;
  let i: number;
  if (first === 47 /* / */ && url.charCodeAt(1) === 47) i = 2;
  else if ((first | 32) === 104 && (url.charCodeAt(1) | 32) === 116 && (url.charCodeAt(2) | 32) === 116 && (url.charCodeAt(3) | 32) === 112) {
    // http or https (`c | 32` is a letter's lower case; no other character's lands on these)
    const colon = (url.charCodeAt(4) | 32) === 115 ? 5 : 4;
    if (url.charCodeAt(colon) !== 58 || url.charCodeAt(colon + 1) !== 47 || url.charCodeAt(colon + 2) !== 47) return undefined;
    i = colon + 3;
  } else return undefined;
  const start = i;
  let upper = false;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) break;
    if (c === 58) {
      // a port, or userinfo if an @ follows before the path
      for (let j = i + 1; j < n; j++) {
        const d = url.charCodeAt(j);
        if (d === 47 || d === 63 || d === 35) break;
        if (d === 64) return undefined;
      }
      break;
    }
    if (c === 64 || c >= 128) return undefined;
    if (c >= 65 && c <= 90) upper = true;
  }
  // no host character (the pattern then does not match) leaves an empty host: null below
  let host = url.slice(start, url.charCodeAt(i - 1) === 46 /* . */ ? i - 1 : i);
  if (upper) host = host.toLowerCase();
  return host.length > 0 && host.length <= 253 ? host : null;
}

/**
 * The shape of most internal links and asset paths, read in one pass with at most one string
 * made: a relative URL of printable ASCII without an escape, a colon or a leading '//', up to 300
 * characters. Its first `kept` segments (interpretLink keeps three and marks more with '/…';
 * pathShape keeps all) are taken as they are when none has a digit or a capital or is longer
 * than 40 characters (segmentShape would return each unchanged), else folded one by one.
 * undefined for any other URL, which takes the general way.
 */
function plainShape(href: string, kept: number): string | null | undefined {
  const n = href.length;
  if (n === 0 || n > 300) return undefined;
  const first = href.charCodeAt(0);
  // leading or trailing white space (trim), a fragment only, a protocol-relative link
  if (first <= 32 || href.charCodeAt(n - 1) <= 32) return undefined;
  if (first === 35 /* # */) return null;
  if (first === 47 && n > 1 && href.charCodeAt(1) === 47) return undefined;
  let segments = 1; // segments begun so far
  let cut = -1; // where the last kept segment ends, if the path goes on
  let folded = false; // a kept segment segmentShape would change
  let segStart = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = href.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) break;
    if (c >= 127 || c < 32 || c === 37 /* % */ || c === 58 /* : */) return undefined;
    if (c === 47 /* / */) {
      if (i - segStart > 40) folded = true;
      if (segments === kept) {
        cut = i;
        break;
      }
      segments++;
      segStart = i + 1;
    } else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) folded = true;
  }
  const pathEnd = cut >= 0 ? cut : i;
  if (cut < 0 && pathEnd - segStart > 40) folded = true;
  // no path, or only '/': urlPath's '/'
  if (pathEnd === 0 || (pathEnd === 1 && first === 47)) return cut < 0 ? '/' : undefined;
  const more = cut >= 0 ? '/…' : '';
  if (!folded) return href.slice(0, pathEnd) + more;
  let shape = '';
  let start = 0;
  for (;;) {
    const slash = href.indexOf('/', start);
    const end = slash < 0 || slash > pathEnd ? pathEnd : slash;
    if (start > 0) shape += '/';
    shape += segmentShape(href.slice(start, end));
    if (end === pathEnd) return shape + more;
    start = end + 1;
  }
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
  const plain = plainShape(href, 3);
  if (plain !== undefined) return { host: null, shape: plain };
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
