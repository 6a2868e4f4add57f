/**
 * The URL and token folds as they were first written, with regexes: the specification that the
 * character loops of src/fingerprint/normalise.ts are compared against (normalise.test.ts).
 */
const HASHLIKE = /[0-9a-f]{6,}/i;
const HAS_DIGIT = /\d/;
const DIGITS = /\d+/g;
const NOT_A_PATH = /^(?:data|javascript|mailto|tel|about|blob):/i;
const ABSOLUTE_PATH = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*([^?#]*)/i;
const QUERY_OR_FRAGMENT = /[?#]/;

function stableToken(token: string): string | null {
  const t = token.toLowerCase();
  if (t.length === 0 || t.length > 40) return null;
  if (HAS_DIGIT.test(t) && HASHLIKE.test(t)) return null;
  return t.replace(/\d+/g, '#');
}

function pathShape(rawUrl: string): string | null {
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

function extension(s: string): string {
  const dot = s.lastIndexOf('.');
  return dot >= 0 && s.length - dot <= 6 ? s.slice(dot) : '';
}

function interpretLink(href: string): { host: string | null; shape: string | null } {
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

function urlHost(rawUrl: string): string | null {
  // most links on a page are relative: without "//" the pattern below cannot match
  if (!rawUrl.includes('//')) return null;
  const m = /^(?:(?:https?|ftp|wss?):)?\/\/([^/?#:@]+(?::[^/?#@]*)?@)?([^/?#:]+)/i.exec(rawUrl.trim());
  if (!m) return null;
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  return host.length > 0 && host.length <= 253 ? host : null;
}

export const reference = { stableToken, pathShape, interpretLink, urlHost };
