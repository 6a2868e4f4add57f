/** The blocked sites: each one's legal order, known domains, confirmed future domains and exports. */
import { api, download, queryString } from './api.js';
import { facts, formatTime, h, replaceChildren, table } from './dom.js';
import { queueHref } from './queueView.js';
import { DEFAULT_FILTER, errorText, say, session } from './session.js';
import type { SiteInfo } from './types.js';

const EXPORTS: ReadonlyArray<readonly [string, string, string]> = [
  ['blocklist', 'Blocklist', 'txt'], ['csv', 'CSV', 'csv'], ['jsonl', 'JSON lines', 'jsonl'], ['ticket', 'Ticket (JSON)', 'json'],
];

function exportButtons(site: SiteInfo): HTMLElement {
  const result = h('p', { class: 'muted export-result', attrs: { 'aria-live': 'polite' } });
  const run = (format: string, ext: string): void => {
    download(`/api/export${queryString({ site: site.id, format })}`, `${site.id}-${format}.${ext}`).then(
      ({ name, excluded }) => { result.textContent = `${name} saved${excluded !== null ? `; ${excluded} left out by the guard (the file says which and why)` : ''}.`; },
      (err: unknown) => say(`Export failed: ${errorText(err)}`, 'error'));
  };
  return h('div', { class: 'exports' },
    h('span', {}, 'Export confirmed domains: '),
    ...EXPORTS.map(([format, label, ext]) => h('button', { data: { format }, attrs: { type: 'button' }, on: { click: () => run(format, ext) } }, label)),
    result);
}

function siteSection(site: SiteInfo): HTMLElement {
  const order = site.order;
  return h('section', { class: 'panel site', id: `site-${site.id}` },
    h('h2', {}, site.name, ' ', h('code', { class: 'muted' }, site.id)),
    facts([
      ['Legal order', order ? `${order.reference} — ${order.court}, ${order.date}` : 'none recorded'],
      ['Matches', h('span', {},
        h('a', { attrs: { href: queueHref({ ...DEFAULT_FILTER, site: site.id, state: 'unreviewed' }) } }, `${site.counts.unreviewed} to review`), ' · ',
        h('a', { attrs: { href: queueHref({ ...DEFAULT_FILTER, site: site.id, state: 'confirmed' }) } }, `${site.counts.confirmed} confirmed`), ' · ',
        h('a', { attrs: { href: queueHref({ ...DEFAULT_FILTER, site: site.id, state: 'rejected' }) } }, `${site.counts.rejected} rejected`))],
    ]),
    exportButtons(site),
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, `Known domains (${site.knownDomains.length})`),
        site.knownDomains.length ? table(['Domain', 'Since'], site.knownDomains.map((d) => [h('code', {}, d.domain), d.since ?? '—'])) : h('p', { class: 'muted' }, 'none')),
      h('div', {}, h('h3', {}, `Confirmed future domains (${site.confirmedDomains.length})`),
        site.confirmedDomains.length ? table(['Domain', 'Confirmed'], site.confirmedDomains.map((d) => [h('code', {}, d.domain), formatTime(d.confirmedAt)]), { class: 'confirmed-domains' }) : h('p', { class: 'muted' }, 'none yet'))));
}

export async function renderSites(root: HTMLElement): Promise<void> {
  replaceChildren(root, h('p', { class: 'muted' }, 'Loading the sites…'));
  try {
    session.sites = await api.sites();
  } catch (err) {
    replaceChildren(root, h('p', { class: 'form-error' }, `The sites could not be loaded: ${errorText(err)}`));
    return;
  }
  const sites = session.sites;
  replaceChildren(root, h('div', { class: 'sites' },
    h('h1', {}, 'Blocked sites'),
    sites.length === 0 ? h('p', { class: 'empty' }, 'No blocked site is configured.') : h('nav', { class: 'site-index' }, ...sites.map((s) => h('a', { attrs: { href: `#/sites/${encodeURIComponent(s.id)}` } }, s.name))),
    ...sites.map(siteSection)));
}
