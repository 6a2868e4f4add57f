/**
 * The queue: matches waiting for a decision, with counts per state, site and verdict, filters,
 * sorting, cursor paging, selection for bulk decisions, and the keys a reviewer works with.
 */
import { api, queryString } from './api.js';
import { identifierChips, scoreText, stateBadge, verdictBadge } from './badges.js';
import { decideMany, decideOne, fetchAllIds } from './decide.js';
import { facts, formatTime, h, replaceChildren } from './dom.js';
import { setKeys } from './keyboard.js';
import { DEFAULT_FILTER, canDecide, errorText, say, session, type QueueFilter, type QueueState } from './session.js';
import type { DecisionKind, MatchSummary } from './types.js';

export const PAGE_SIZE = 50;

const SORTS: ReadonlyArray<readonly [string, string]> = [
  ['-recorded', 'newest first'], ['recorded', 'oldest first'], ['-score', 'highest score'], ['score', 'lowest score'], ['domain', 'domain A–Z'],
];
const STATES = ['unreviewed', 'needs-more', 'confirmed', 'rejected'];
const VERDICTS = ['mirror', 'likely'];

export function filterFromParams(params: URLSearchParams): QueueFilter {
  const filter = { ...DEFAULT_FILTER };
  for (const key of Object.keys(filter) as Array<keyof QueueFilter>) {
    const value = params.get(key);
    if (value !== null) filter[key] = value;
  }
  return filter;
}

export function queueHref(filter: QueueFilter): string {
  return `#/queue${queryString({ ...filter })}`;
}

function sameFilter(a: QueueFilter, b: QueueFilter): boolean {
  return (Object.keys(a) as Array<keyof QueueFilter>).every((key) => a[key] === b[key]);
}

/** Dates from the form are whole UTC days: since is the day's start, until its end. */
export function apiQuery(filter: QueueFilter): Record<string, string> {
  return {
    state: filter.state, site: filter.site, verdict: filter.verdict, q: filter.q, sort: filter.sort,
    since: filter.since ? `${filter.since}T00:00:00.000Z` : '',
    until: filter.until ? `${filter.until}T23:59:59.999Z` : '',
  };
}

async function loadPage(state: QueueState, cursor: string): Promise<void> {
  const page = await api.matches({ ...apiQuery(state.filter), cursor, limit: PAGE_SIZE });
  state.items = page.items;
  state.cursor = cursor;
  state.nextCursor = page.nextCursor;
  state.total = page.total;
  state.counts = page.counts;
  state.index = Math.min(state.index, Math.max(0, page.items.length - 1));
}

export async function renderQueue(root: HTMLElement, filter: QueueFilter): Promise<void> {
  let state = session.queue;
  if (!state || !sameFilter(state.filter, filter)) {
    state = { filter, items: [], pageCursors: [], cursor: '', nextCursor: null, total: 0, counts: { bySite: {}, byVerdict: {}, byState: {} }, index: 0, selected: new Set() };
    session.queue = state;
  }
  replaceChildren(root, h('p', { class: 'muted' }, 'Loading the queue…'));
  try {
    await loadPage(state, state.cursor);
    if (!session.sites) session.sites = await api.sites().catch(() => []);
  } catch (err) {
    replaceChildren(root, h('p', { class: 'form-error' }, `The queue could not be loaded: ${errorText(err)}`));
    return;
  }
  draw(root, state);
}

function go(filter: QueueFilter): void {
  location.hash = queueHref(filter);
}

function countList(title: string, key: keyof QueueFilter, counts: Record<string, number>, state: QueueState): HTMLElement {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return h('section', { class: 'count-group' },
    h('h3', {}, title),
    entries.length === 0 ? h('p', { class: 'muted' }, 'none') : h('ul', {},
      ...entries.map(([value, n]) => h('li', {},
        h('a', { class: state.filter[key] === value ? 'count active' : 'count', attrs: { href: queueHref({ ...state.filter, [key]: state.filter[key] === value ? '' : value }) } },
          h('span', { class: 'count-label' }, value), h('span', { class: 'count-n' }, n.toLocaleString('en')))))));
}

function select(name: keyof QueueFilter, label: string, options: ReadonlyArray<readonly [string, string]>, value: string): HTMLElement {
  return h('label', {}, label,
    h('select', { attrs: { name } }, ...options.map(([v, text]) => h('option', { attrs: { value: v, selected: v === value } }, text))));
}

function filterForm(state: QueueState): HTMLFormElement {
  const f = state.filter;
  const siteOptions: Array<[string, string]> = [['', 'all sites'], ...(session.sites ?? []).map((s): [string, string] => [s.id, s.name])];
  if (f.site && !siteOptions.some(([id]) => id === f.site)) siteOptions.push([f.site, f.site]);
  const form = h('form', { class: 'filters', attrs: { role: 'search', 'aria-label': 'Filter the queue' } },
    select('state', 'State', [['', 'any state'], ...STATES.map((s): [string, string] => [s, s])], f.state),
    select('site', 'Site', siteOptions, f.site),
    select('verdict', 'Verdict', [['', 'any verdict'], ...VERDICTS.map((v): [string, string] => [v, v])], f.verdict),
    h('label', {}, 'Recorded from', h('input', { attrs: { type: 'date', name: 'since', value: f.since } })),
    h('label', {}, 'to', h('input', { attrs: { type: 'date', name: 'until', value: f.until } })),
    h('label', { class: 'grow' }, 'Domain', h('input', { id: 'filter-q', attrs: { type: 'search', name: 'q', value: f.q, placeholder: '*.unblockit.*', autocomplete: 'off', spellcheck: 'false' } })),
    select('sort', 'Sort', SORTS, f.sort),
    h('button', { attrs: { type: 'submit' } }, 'Apply'),
    h('a', { class: 'reset', attrs: { href: queueHref(DEFAULT_FILTER) } }, 'Reset'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = { ...DEFAULT_FILTER };
    for (const key of Object.keys(next) as Array<keyof QueueFilter>) next[key] = String(data.get(key) ?? '').trim();
    go(next);
  });
  // a select takes effect at once; text and dates on Apply / Enter
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement) form.requestSubmit();
  });
  return form;
}

function row(item: MatchSummary, i: number, state: QueueState, redraw: () => void): HTMLTableRowElement {
  const checkbox = h('input', { attrs: { type: 'checkbox', 'aria-label': `select ${item.domain}`, checked: state.selected.has(item.id) } });
  checkbox.addEventListener('change', () => {
    if (checkbox.checked) state.selected.add(item.id);
    else state.selected.delete(item.id);
    redraw();
  });
  const tr = h('tr', { class: [i === state.index ? 'current' : '', item.state !== 'unreviewed' ? 'decided' : ''].join(' ').trim(), data: { id: item.id } },
    h('td', {}, checkbox),
    h('td', { class: 'domain' }, h('a', { attrs: { href: `#/match/${encodeURIComponent(item.id)}` } }, item.domain), item.title ? h('div', { class: 'row-title' }, item.title) : null),
    h('td', { class: 'nowrap' }, item.site ?? '—'),
    h('td', {}, verdictBadge(item.verdict)),
    h('td', { class: 'num' }, scoreText(item.score)),
    h('td', { class: 'nowrap' }, item.pageKind ?? '—'),
    h('td', { title: item.identifiers.join('\n') }, identifierChips(item.identifiers, item.identifiers, 3)),
    h('td', { class: 'time' }, formatTime(item.recordedAt)),
    h('td', {}, stateBadge(item.state)));
  tr.addEventListener('click', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLAnchorElement) return;
    state.index = i;
    redraw();
  });
  return tr;
}

function draw(root: HTMLElement, state: QueueState): void {
  const redraw = (): void => draw(root, state);
  const current = (): MatchSummary | undefined => state.items[state.index];
  const first = state.pageCursors.length * PAGE_SIZE;
  const decide = async (kind: DecisionKind): Promise<void> => {
    if (!canDecide()) return say('Your role can view matches but not decide on them.', 'error');
    if (state.selected.size > 0) {
      if (await decideMany([...state.selected], kind, `${state.selected.size} selected matches`)) state.selected.clear();
      return redraw();
    }
    const item = current();
    if (!item) return;
    if (await decideOne(item, kind)) {
      state.index = Math.min(state.index + 1, state.items.length - 1);
      redraw();
    }
  };
  const selectWhere = async (keep: (item: MatchSummary) => boolean, what: string): Promise<void> => {
    try {
      const all = await fetchAllIds(apiQuery(state.filter));
      const ids = all.filter(keep).map((item) => item.id);
      for (const id of ids) state.selected.add(id);
      say(`Selected ${ids.length} ${what}${all.length >= 1000 ? ' (the first 1,000 of the filter)' : ''}.`);
      redraw();
    } catch (err) {
      say(`Could not select: ${errorText(err)}`, 'error');
    }
  };
  const here = current();
  const sameIds = here && here.identifiers.length > 0 ? [...here.identifiers].sort().join('\n') : null;
  const bulkBar = h('div', { class: 'bulkbar', attrs: { 'aria-live': 'polite' } },
    h('span', { class: 'selected-count' }, `${state.selected.size} selected`),
    h('button', { attrs: { type: 'button' }, on: { click: () => { for (const item of state.items) state.selected.add(item.id); redraw(); } } }, 'Select this page'),
    h('button', { attrs: { type: 'button' }, on: { click: () => void selectWhere(() => true, 'matches of the filter') } }, `Select all ${state.total.toLocaleString('en')} matching`),
    sameIds && here ? h('button', {
      attrs: { type: 'button', title: `every match of the filter on ${here.site ?? 'no site'} with exactly these identifiers: ${here.identifiers.join(', ')}` },
      on: { click: () => void selectWhere((item) => item.site === here.site && [...item.identifiers].sort().join('\n') === sameIds, `matches with the identifiers of ${here.domain}`) },
    }, `Same site and identifiers as ${here.domain}`) : null,
    state.selected.size > 0 ? h('span', { class: 'bulk-actions' },
      ...(['confirm', 'reject', 'needs-more'] as DecisionKind[]).map((kind) =>
        h('button', { class: `decide-${kind}`, attrs: { type: 'button', disabled: !canDecide() }, on: { click: () => void decide(kind) } },
          `${kind === 'confirm' ? 'Confirm' : kind === 'reject' ? 'Reject' : 'Needs more'} ${state.selected.size}`)),
      h('button', { attrs: { type: 'button' }, on: { click: () => { state.selected.clear(); redraw(); } } }, 'Clear')) : null);

  const pager = h('nav', { class: 'pager', attrs: { 'aria-label': 'pages' } },
    h('button', {
      attrs: { type: 'button', disabled: state.pageCursors.length === 0 },
      on: { click: () => void (async () => { state.index = 0; await loadPage(state, state.pageCursors.pop() ?? ''); redraw(); })() },
    }, '← Previous'),
    h('span', { class: 'muted' }, state.items.length === 0 ? `0 of ${state.total.toLocaleString('en')}` : `${(first + 1).toLocaleString('en')}–${(first + state.items.length).toLocaleString('en')} of ${state.total.toLocaleString('en')}`),
    h('button', {
      attrs: { type: 'button', disabled: !state.nextCursor },
      on: { click: () => void (async () => { state.pageCursors.push(state.cursor); state.index = 0; await loadPage(state, state.nextCursor ?? ''); redraw(); })() },
    }, 'Next →'));

  const body = state.items.length === 0
    ? h('p', { class: 'empty' }, 'No match fits this filter.')
    : h('table', { class: 'matches' },
      h('thead', {}, h('tr', {}, ...['', 'Domain', 'Site', 'Verdict', 'Score', 'Page', 'Identifiers', 'Recorded', 'State'].map((label) => h('th', { attrs: { scope: 'col' } }, label)))),
      h('tbody', {}, ...state.items.map((item, i) => row(item, i, state, redraw))));

  replaceChildren(root,
    h('div', { class: 'queue' },
      h('aside', { class: 'counts', attrs: { 'aria-label': 'counts' } },
        facts([['Matches in filter', state.total.toLocaleString('en')]]),
        countList('State', 'state', state.counts.byState, state),
        countList('Site', 'site', state.counts.bySite, state),
        countList('Verdict', 'verdict', state.counts.byVerdict, state)),
      h('div', { class: 'queue-main' }, filterForm(state), bulkBar, body, pager)));
  root.querySelector('tr.current')?.scrollIntoView({ block: 'nearest' });

  const move = (step: number): void => {
    if (state.items.length === 0) return;
    state.index = Math.max(0, Math.min(state.items.length - 1, state.index + step));
    redraw();
  };
  setKeys({
    j: () => move(1),
    k: () => move(-1),
    Enter: () => { const item = current(); if (item) location.hash = `#/match/${encodeURIComponent(item.id)}`; },
    x: () => { const item = current(); if (!item) return; if (state.selected.has(item.id)) state.selected.delete(item.id); else state.selected.add(item.id); redraw(); },
    c: () => void decide('confirm'),
    r: () => void decide('reject'),
    n: () => void decide('needs-more'),
    '/': () => document.getElementById('filter-q')?.focus(),
  }, root);
}
