/** Small labelled marks used by several views: verdict, review state, identifier chips. */
import { h, highlighted } from './dom.js';

export function verdictBadge(verdict: string): HTMLElement {
  return h('span', { class: `badge verdict-${/^[a-z-]+$/.test(verdict) ? verdict : 'other'}` }, verdict);
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${/^[a-z-]+$/.test(state) ? state : 'other'}` }, state);
}

export function scoreText(score: number): string {
  return Number.isFinite(score) ? score.toFixed(2) : '—';
}

/** Identifier values as chips; the ones in `shared` are marked (the match's common ground). */
export function identifierChips(values: readonly string[], shared: readonly string[] = values, max = Infinity): HTMLElement {
  const shown = values.slice(0, max);
  return h('span', { class: 'chips' },
    ...shown.map((value) => {
      const both = isShared(value, shared);
      return h('span', { class: both ? 'chip shared' : 'chip', title: both ? 'on both pages' : 'on this page only' }, both ? h('mark', {}, value) : value);
    }),
    values.length > shown.length ? h('span', { class: 'chip more' }, `+${values.length - shown.length}`) : null);
}

/**
 * Whether a raw identifier value is among the matched ones. Evidence lines may add words after
 * the value ("harbortorrents (Harbor Torrents)", "<hash> (<tracker URLs>)"), so a matched line that
 * starts with the value and a space counts too.
 */
export function isShared(value: string, matched: readonly string[]): boolean {
  return matched.some((m) => m === value || m.startsWith(`${value} `));
}

export { highlighted };
