/**
 * Redirects that are not HTTP 30x: `<meta http-equiv="refresh" content="0; url=...">` and the
 * one-line JavaScript `location` assignments that "we moved" pages and parking services use.
 *
 * These are found with bounded regular expressions over the start of the page, not a DOM parse:
 * the crawler must not know about parsing, and a hostile page must not cost more than its prefix.
 * A JavaScript assignment only counts on a small page, because a real site's scripts assign
 * `location` in click handlers all the time.
 */

/** Only the start of a page is searched for a meta refresh. */
const META_SCAN_CHARS = 16 * 1024;
/** A JavaScript redirect only counts on a page this small (a stub page, not a site). */
const JS_REDIRECT_MAX_PAGE_CHARS = 8 * 1024;

export interface RedirectHint {
  kind: 'meta-refresh' | 'javascript';
  /** absolute URL */
  location: string;
}

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/gi, '&').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'").replace(/&#x2f;|&#47;/gi, '/');
}

function absolute(target: string, base: string): string | null {
  const cleaned = decodeEntities(target.trim().replace(/^["']|["']$/g, ''));
  if (!cleaned) return null;
  try {
    const url = new URL(cleaned, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function metaRefresh(html: string, base: string): string | null {
  const head = html.slice(0, META_SCAN_CHARS);
  for (const tag of head.matchAll(/<meta\b[^>]{0,1000}>/gi)) {
    const httpEquiv = attribute(tag[0], 'http-equiv');
    if (!httpEquiv || httpEquiv.toLowerCase() !== 'refresh') continue;
    const content = attribute(tag[0], 'content');
    const m = content ? /^\s*\d*(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?(.+)$/i.exec(content) : null;
    if (m && m[1]) return absolute(m[1], base);
  }
  return null;
}

const JS_LOCATION = new RegExp(
  String.raw`(?:(?:window|document|top|self)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*(["'])([^"'\n]{1,2000})\1` +
    '|' +
    String.raw`(?:(?:window|document|top|self)\s*\.\s*)?location\s*\.\s*(?:replace|assign)\s*\(\s*(["'])([^"'\n]{1,2000})\3\s*\)`,
  'i',
);

function javascriptLocation(html: string, base: string): string | null {
  if (html.length > JS_REDIRECT_MAX_PAGE_CHARS) return null;
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    const m = JS_LOCATION.exec(script[1] ?? '');
    if (m) return absolute(m[2] ?? m[4] ?? '', base);
  }
  return null;
}

/** A client-side redirect on this page, if it has one that leaves the page. */
export function findRedirectHint(html: string, pageUrl: string): RedirectHint | null {
  const meta = metaRefresh(html, pageUrl);
  if (meta && meta !== pageUrl) return { kind: 'meta-refresh', location: meta };
  const js = javascriptLocation(html, pageUrl);
  if (js && js !== pageUrl) return { kind: 'javascript', location: js };
  return null;
}
