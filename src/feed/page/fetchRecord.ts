/** The fetch record of a match: addresses, certificate, redirect chain, the HTTP exchanges. */
import { facts, h, table } from './dom.js';
import { at, list, obj, strings, text } from './fields.js';

function codes(values: string[]): HTMLElement | null {
  return values.length ? h('span', { class: 'chips' }, ...values.map((v) => h('code', { class: 'chip' }, v))) : null;
}

export function fetchRecord(record: unknown): HTMLElement {
  const section = h('section', { class: 'panel' }, h('h2', {}, 'Fetch record'));
  const f = obj(record);
  if (!f) {
    section.appendChild(h('p', { class: 'muted' }, 'No fetch record is kept for this match.'));
    return section;
  }
  const tls = obj(f.tls);
  const authorized = tls ? (tls.authorized === true ? 'verified' : `NOT verified${text(tls.authorizationError) ? ` (${text(tls.authorizationError)})` : ''}`) : null;
  section.appendChild(facts([
    ['Requested', text(f.requestedUrl)],
    ['Final URL', text(f.finalUrl)],
    ['HTTP status', text(f.status)],
    ['Fetched at (UTC)', text(f.fetchedAt)],
    ['Resolver', text(f.resolver) ?? text(at(f, 'resolver.server'))],
    ['Resolved addresses', codes(strings(f.resolvedAddresses))],
    ['Connected to', text(f.connectedAddress)],
    ['Content type', text(f.contentType)],
    ['Body', text(f.sha256) ? h('span', {}, h('code', { class: 'hash' }, text(f.sha256)!), text(f.bytes) ? ` · ${Number(f.bytes).toLocaleString('en')} bytes` : '') : null],
  ]));
  section.appendChild(h('h3', {}, 'Certificate'));
  section.appendChild(tls ? facts([
    ['Chain', authorized],
    ['Subject', text(tls.subject)],
    ['Alternative names', codes(strings(tls.subjectAltNames))],
    ['Issuer', text(tls.issuer)],
    ['Valid', `${text(tls.validFrom) ?? '?'} → ${text(tls.validTo) ?? '?'}`],
    ['SHA-256', text(tls.fingerprint256) ? h('code', { class: 'hash' }, text(tls.fingerprint256)!) : null],
  ]) : h('p', { class: 'muted' }, 'Plain HTTP: no certificate.'));
  const redirects = list(f.redirects).map(obj).filter((r): r is Record<string, unknown> => r !== null);
  section.appendChild(h('h3', {}, 'Redirect chain'));
  section.appendChild(redirects.length === 0 ? h('p', { class: 'muted' }, 'None: the requested URL answered.') : table(['From', 'Status', 'Kind', 'To', 'Address'],
    redirects.map((r) => [h('code', {}, text(r.url) ?? '—'), text(r.status) ?? '—', text(r.kind) ?? '—', h('code', {}, text(r.location) ?? '—'), h('span', { class: 'nowrap' }, text(r.connectedAddress) ?? '—')])));
  const exchanges = list(f.exchanges).map(obj).filter((r): r is Record<string, unknown> => r !== null);
  if (exchanges.length) {
    section.appendChild(h('h3', {}, 'HTTP exchanges (WARC records)'));
    section.appendChild(table(['URL', 'Status', 'Address', 'WARC record ids'],
      exchanges.map((x) => [h('code', {}, text(x.url) ?? '—'), text(x.status) ?? '—', h('span', { class: 'nowrap' }, text(x.remoteAddress) ?? '—'), codes(strings(x.warcRecordIds)) ?? '—'])));
  }
  section.appendChild(h('details', {}, h('summary', {}, 'The whole record'), h('pre', { class: 'json' }, JSON.stringify(f, null, 2))));
  return section;
}
