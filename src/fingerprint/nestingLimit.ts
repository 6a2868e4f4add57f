/**
 * A linear pre-pass that bounds what the HTML parser is given.
 *
 * Parsers keep the open-element stack in an array they search on every tag, so parse time grows
 * with depth x elements (200,000 nested <div>s take minutes in parse5), and parse5 checks every
 * attribute of a tag against the ones before it (64,000 attributes on one tag: a minute). Real
 * pages nest well under 100 deep and carry a few dozen attributes per tag. This pass cuts the
 * document where nesting first exceeds `maxDepth`, and drops attributes past `maxAttributes`.
 *
 * It is a scanner, not regular expressions: every step moves forward through the text (a tag,
 * comment or raw-text element that never ends ends the scan), so the work is linear in the page
 * whatever it holds. Depth follows the tree builder closely enough for a bound, and never counts
 * lower than the parser does: an end tag only closes an element the parser would close (a stray
 * `</b>` closes nothing, `</body>` and `</html>` pop nothing), and a start tag that the parser
 * treats as closing the open one (`<p>` in a `<p>`, `<li>` in an `<li>`) closes it here too.
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'frame', 'isindex', 'nextid', 'bgsound', 'image', 'menuitem']);
/** Elements whose content is text up to their own end tag: a `<` inside is not a tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
/** A literal search from lastIndex: the cost is the distance to the end tag, each byte read once. */
const RAW_TEXT_END = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}`, 'gi')]));
/** The tree builder's "special" elements: an end tag for another element never closes past one. */
const SPECIAL = new Set(
  'address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp'.split(' '),
);
/** Elements that bound "in scope": an end tag never closes an element outside the table cell or object it is in. */
const SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);
/** End tags the tree builder never pops for while in the body: the content after them goes on where it was. */
const NEVER_POPPED = new Set(['body', 'html', 'head']);
/** A start tag of these closes an open element of the same name at the top (`<li>` after `<li>`). */
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dd', 'dt', 'option', 'optgroup', 'tr', 'td', 'th', 'rt', 'rp']);

export const DEFAULT_MAX_ATTRIBUTES = 256;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === SLASH || c === GT;
}

interface StartTag {
  /** index just past the closing `>`, or -1 when the tag never ends */
  end: number;
  selfClosing: boolean;
  attributes: number;
  /** where the attribute past the limit starts, or -1 */
  cutAt: number;
}

/** Read a start tag's attributes from `i` (just after the name), honouring quotes, as the tokenizer does. */
function readStartTag(html: string, from: number, maxAttributes: number): StartTag {
  const n = html.length;
  let i = from;
  let attributes = 0;
  let cutAt = -1;
  let selfClosing = false;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === GT) return { end: i + 1, selfClosing, attributes, cutAt };
    if (c === SLASH) {
      selfClosing = html.charCodeAt(i + 1) === GT;
      i++;
      continue;
    }
    selfClosing = false;
    // an attribute name: up to space, `/`, `>` or `=` (a leading `=` belongs to the name)
    const nameStart = i;
    i++;
    while (i < n) {
      const d = html.charCodeAt(i);
      if (isNameEnd(d) || d === EQUALS) break;
      i++;
    }
    attributes++;
    if (attributes > maxAttributes && cutAt < 0) cutAt = nameStart;
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== EQUALS) continue;
    i++;
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    const q = html.charCodeAt(i);
    if (q === 0x22 || q === 0x27) {
      const close = html.indexOf(q === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return { end: -1, selfClosing: false, attributes, cutAt };
      i = close + 1;
    } else {
      while (i < n) {
        const d = html.charCodeAt(i);
        if (isSpace(d) || d === GT) break;
        i++;
      }
    }
  }
  return { end: -1, selfClosing: false, attributes, cutAt };
}

export interface NestingLimitResult {
  html: string;
  /** true when the page was cut (too deep) or attributes were dropped */
  truncated: boolean;
  /** how many start tags lost attributes */
  tagsWithAttributesCut: number;
}

export function limitNestingDepth(html: string, maxDepth: number, maxAttributes = DEFAULT_MAX_ATTRIBUTES): NestingLimitResult {
  const n = html.length;
  const stack: string[] = [];
  // the text kept so far is html[0, copiedTo) with parts in between when attributes were dropped
  const parts: string[] = [];
  let copiedTo = 0;
  let tagsWithAttributesCut = 0;
  const result = (end: number, cut: boolean): NestingLimitResult => {
    if (parts.length === 0) return { html: end === n ? html : html.slice(0, end), truncated: cut || tagsWithAttributesCut > 0, tagsWithAttributesCut };
    parts.push(html.slice(copiedTo, end));
    return { html: parts.join(''), truncated: true, tagsWithAttributesCut };
  };

  let i = html.indexOf('<');
  while (i >= 0 && i < n) {
    const next = html.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (html.startsWith('<!--', i)) {
        // `<!-->` and `<!--->` are empty comments; otherwise a comment runs to the first `-->`
        const close = html.startsWith('<!-->', i) ? i + 4 : html.startsWith('<!--->', i) ? i + 5 : html.indexOf('-->', i + 4);
        if (close < 0) break;
        i = html.indexOf('<', close + (html.charCodeAt(close) === GT ? 1 : 3));
        continue;
      }
      // doctype or bogus comment: up to the next `>`
      const close = html.indexOf('>', i + 2);
      if (close < 0) break;
      i = html.indexOf('<', close + 1);
      continue;
    }
    if (next === 0x3f /* ? */) {
      const close = html.indexOf('>', i + 2);
      if (close < 0) break;
      i = html.indexOf('<', close + 1);
      continue;
    }
    if (next === SLASH) {
      const close = html.indexOf('>', i + 2);
      if (close < 0) break;
      if (isAsciiLetter(html.charCodeAt(i + 2))) {
        let e = i + 3;
        while (e < close && !isNameEnd(html.charCodeAt(e))) e++;
        closeElement(stack, html.slice(i + 2, e).toLowerCase());
      }
      i = html.indexOf('<', close + 1);
      continue;
    }
    if (!isAsciiLetter(next)) {
      // a `<` that starts no tag is text
      i = html.indexOf('<', i + 1);
      continue;
    }
    let e = i + 2;
    while (e < n && !isNameEnd(html.charCodeAt(e))) e++;
    const name = html.slice(i + 1, e).toLowerCase();
    const tag = readStartTag(html, e, maxAttributes);
    if (tag.end < 0) break;
    if (tag.cutAt >= 0) {
      // keep the tag with its first attributes: the parser sees the same element, bounded
      parts.push(html.slice(copiedTo, tag.cutAt));
      copiedTo = tag.end - 1;
      tagsWithAttributesCut++;
    }
    if (VOID.has(name) || tag.selfClosing) {
      i = html.indexOf('<', tag.end);
      continue;
    }
    if (name === 'plaintext') return result(n, false);
    if (SELF_CLOSING_SIBLINGS.has(name) && stack[stack.length - 1] === name) stack.pop();
    if (stack.length >= maxDepth) return result(i, true);
    stack.push(name);
    if (RAW_TEXT.has(name)) {
      // skip the element's text: its end tag is the only way out
      const end = RAW_TEXT_END.get(name)!;
      end.lastIndex = tag.end;
      const close = end.exec(html);
      if (!close) break;
      i = close.index;
      continue;
    }
    i = html.indexOf('<', tag.end);
  }
  return result(n, false);
}

/** The tree builder's end-tag rule, approximated: close the named element if it is open and reachable. */
function closeElement(stack: string[], name: string): void {
  if (NEVER_POPPED.has(name)) return;
  const special = SPECIAL.has(name);
  for (let k = stack.length - 1; k >= 0; k--) {
    const open = stack[k]!;
    if (open === name) {
      stack.length = k;
      return;
    }
    // a special element's end tag looks through anything but a scope boundary; any other end tag stops at a special element
    if (special ? SCOPE.has(open) : SPECIAL.has(open)) return;
  }
}

