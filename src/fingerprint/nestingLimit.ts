/**
 * HTML parsers keep the open-element stack in an array that they search or shift on every tag, so
 * parse time grows with depth x elements: 200,000 nested <div>s take minutes in parse5 and in
 * htmlparser2 alike. Real pages nest well under 100 deep. This linear pre-pass cuts the document
 * where nesting first exceeds `maxDepth`, so hostile nesting costs a bounded, small parse.
 * It is an approximation of the tree builder (no implied end tags), which is enough for a bound.
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'frame', 'isindex', 'nextid', 'bgsound', 'image', 'menuitem']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->/g;
const RAW_TEXT_END = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}`, 'gi')]));

export function limitNestingDepth(html: string, maxDepth: number): { html: string; truncated: boolean } {
  let depth = 0;
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(html)) !== null) {
    const name = m[2];
    if (name === undefined) continue; // a comment
    const lower = name.toLowerCase();
    if (m[1] === '/') {
      if (depth > 0) depth--;
      continue;
    }
    if (VOID.has(lower) || m[3] === '/') continue;
    if (RAW_TEXT.has(lower)) {
      // skip the element's text: "<" inside a script is not a tag
      const end = RAW_TEXT_END.get(lower)!;
      end.lastIndex = TAG.lastIndex;
      const close = end.exec(html);
      if (!close) break;
      TAG.lastIndex = close.index;
      depth++;
      continue;
    }
    if (++depth > maxDepth) return { html: html.slice(0, m.index), truncated: true };
  }
  return { html, truncated: false };
}
