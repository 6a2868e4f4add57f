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
  const sharedSet = new Set(shared);
  const shown = values.slice(0, max);
  return h('span', { class: 'chips' },
    ...shown.map((value) => h('span', { class: sharedSet.has(value) ? 'chip shared' : 'chip', title: sharedSet.has(value) ? 'on both pages' : 'on this page only' },
      sharedSet.has(value) ? h('mark', {}, value) : value)),
    values.length > shown.length ? h('span', { class: 'chip more' }, `+${values.length - shown.length}`) : null);
}

export { highlighted };
