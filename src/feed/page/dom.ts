/**
 * The one way the page makes elements. Every value (and almost every value comes from a
 * candidate page someone wrote to attack us) goes in as a text node or through a named attribute
 * setter; nothing here parses HTML, and no other module may use innerHTML / insertAdjacentHTML.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  title?: string;
  role?: string;
  /** data-* attributes, e.g. { id: '1-0' } → data-id="1-0" */
  data?: Record<string, string>;
  /** other attributes, set with setAttribute (never an on* handler: see below) */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

/** Attribute names that would turn a value into code or a navigation target we did not build. */
const REFUSED_ATTRIBUTE = /^(on|srcdoc$|style$)/i;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  for (const [key, value] of Object.entries(props.data ?? {})) el.dataset[key] = value;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (REFUSED_ATTRIBUTE.test(name)) throw new Error(`attribute ${name} is never set from the page code`);
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) el.addEventListener(type, handler as EventListener);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replaceChildren(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}

/**
 * Text with every occurrence of the given terms wrapped in <mark>, built from text nodes: how
 * matched identifiers are highlighted in evidence lines, titles and lists.
 */
export function highlighted(text: string, terms: readonly string[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const wanted = [...new Set(terms.filter((t) => t.length >= 3))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) {
    fragment.appendChild(document.createTextNode(text));
    return fragment;
  }
  const lower = text.toLowerCase();
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let term = '';
    for (const t of wanted) {
      const found = lower.indexOf(t.toLowerCase(), at);
      if (found !== -1 && (best === -1 || found < best)) {
        best = found;
        term = t;
      }
    }
    if (best === -1) break;
    if (best > at) fragment.appendChild(document.createTextNode(text.slice(at, best)));
    fragment.appendChild(h('mark', {}, text.slice(best, best + term.length)));
    at = best + term.length;
  }
  if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
  return fragment;
}

/** A table from rows of cells; header cells as text. */
export function table(headers: readonly string[], rows: readonly Child[][], props: Props = {}): HTMLTableElement {
  return h('table', props,
    h('thead', {}, h('tr', {}, ...headers.map((label) => h('th', { attrs: { scope: 'col' } }, label)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
}

/** A definition list of label → value pairs; absent values are shown as a dash, never hidden. */
export function facts(pairs: ReadonlyArray<readonly [string, Child]>): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value] of pairs) append(dl, h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value));
  return dl;
}

export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function shortHash(hash: string | null | undefined, length = 12): string {
  return hash ? `${hash.slice(0, length)}…` : '—';
}
