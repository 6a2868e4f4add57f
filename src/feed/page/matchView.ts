/**
 * One match: candidate and reference side by side, what they share, the fetch record, the
 * evidence files, the guard, the decision history, and the decision itself.
 *
 * Everything here except our own labels was written by the candidate's operator (title,
 * identifiers, URLs, headers, certificate names). It is shown as text nodes only; the pages
 * themselves are shown as a screenshot (a PNG we made) or in an <iframe sandbox=""> whose
 * document the server sends with `Content-Security-Policy: sandbox; default-src 'none'`.
 */
import { api, download, imageUrl } from './api.js';
import { identifierChips, scoreText, stateBadge, verdictBadge } from './badges.js';
import { decideOne } from './decide.js';
import { facts, formatTime, h, highlighted, replaceChildren, shortHash, table, type Child } from './dom.js';
import { fetchRecord } from './fetchRecord.js';
import { at, obj, simhashDistances, text } from './fields.js';
import { setKeys } from './keyboard.js';
import { queueHref } from './queueView.js';
import { DEFAULT_FILTER, canDecide, errorText, say, session } from './session.js';
import { DECISION_LABEL, type DecisionKind, type MatchDetail } from './types.js';

function sandboxedFrame(src: string | null, label: string): HTMLElement {
  if (!src) return h('p', { class: 'empty' }, 'No saved page is kept for this match.');
  // empty sandbox: no scripts, no forms, no popups, no top navigation, an opaque origin
  return h('iframe', { class: 'saved-page', attrs: { sandbox: '', src, title: label, referrerpolicy: 'no-referrer' } });
}

function screenshotImage(sha256: string | null, label: string): HTMLElement {
  if (!sha256) return h('p', { class: 'empty' }, 'No screenshot was taken when this match was recorded (no browser on the worker).');
  // a click shows it at its own size (1280 px wide), scrolled inside the frame; another click fits it again
  const img = h('img', { class: 'screenshot', title: 'click: actual size / fit', attrs: { alt: label }, on: { click: () => img.classList.toggle('actual-size') } });
  imageUrl(`/api/evidence/${encodeURIComponent(sha256)}`).then((url) => { img.src = url; }, (err: unknown) => {
    img.replaceWith(h('p', { class: 'form-error' }, `The screenshot could not be loaded: ${errorText(err)}`));
  });
  return img;
}

/** Two views of one page (screenshot / sandboxed saved page), as tabs. */
function pageViews(views: Array<{ name: string; make: () => HTMLElement }>): HTMLElement {
  const stage = h('div', { class: 'stage' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const show = (i: number): void => {
    tabs.querySelectorAll('button').forEach((b, j) => b.setAttribute('aria-selected', String(i === j)));
    replaceChildren(stage, views[i]!.make());
  };
  views.forEach((view, i) => tabs.appendChild(h('button', { role: 'tab', attrs: { type: 'button' }, on: { click: () => show(i) } }, view.name)));
  if (views.length > 0) show(0);
  return h('div', { class: 'page-views' }, tabs, stage);
}

function sideBySide(m: MatchDetail): HTMLElement {
  const shared = m.identifiers;
  const ref = m.reference;
  const candidateViews = [
    ...(m.screenshot ? [{ name: 'Screenshot at recording', make: () => screenshotImage(m.screenshot, `screenshot of ${m.domain}`) }] : []),
    { name: 'Saved page (sandboxed)', make: () => sandboxedFrame(m.candidateView, `saved page of ${m.domain}`) },
    ...(m.screenshot ? [] : [{ name: 'Screenshot', make: () => screenshotImage(null, '') }]),
  ];
  return h('section', { class: 'compare', attrs: { 'aria-label': 'candidate and reference' } },
    h('article', { class: 'side candidate' },
      h('h2', {}, 'Candidate ', h('span', { class: 'side-name' }, m.domain)),
      facts([['Title', m.title ? highlighted(m.title, shared) : null], ['Identifiers', shared.length ? identifierChips(shared, shared) : null]]),
      pageViews(candidateViews),
      h('p', { class: 'muted note' }, 'Both views show the body saved when the match was recorded, never the live site: scripts off, nothing else loaded (so no images or styles from the site).')),
    h('article', { class: 'side reference' },
      h('h2', {}, 'Reference ', h('span', { class: 'side-name' }, ref ? `${ref.siteId} / ${ref.pageId}` : 'none')),
      ref ? facts([
        ['Title', ref.title ? highlighted(ref.title, shared) : null],
        ['Identifiers', ref.identifiers.length ? identifierChips(ref.identifiers, shared) : null],
        ['Provenance', provenanceText(ref.provenance)],
      ]) : h('p', { class: 'muted' }, 'The reference page is not known for this match.'),
      m.referenceView
        ? pageViews([
          { name: 'Saved page (sandboxed)', make: () => sandboxedFrame(m.referenceView, 'saved reference page') },
          { name: 'Fingerprint', make: () => h('p', { class: 'muted note' }, 'What hopwatch matched on: the title and identifiers above, and the simhash distances per feature family under "Why hopwatch matched it". The saved page (the other tab) is the reference body kept in the evidence directory, sandboxed like the candidate.') },
        ])
        : h('p', { class: 'muted note' }, 'The reference is kept as its fingerprint (title, identifiers, simhashes), not as a saved page: compare the identifiers above and the evidence below.')));
}

function provenanceText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const parts = ['source', 'capturedAt', 'capturedUrl', 'url', 'note'].map((key) => text(at(value, key))).filter((v): v is string => v !== null);
  return parts.length ? parts.join(' · ') : null;
}

function evidenceSection(m: MatchDetail): HTMLElement {
  const similarity = m.evidence.find((e) => e.feature === 'page-similarity');
  const distances = similarity ? simhashDistances(similarity.matched) : [];
  return h('section', { class: 'panel' },
    h('h2', {}, 'Why hopwatch matched it'),
    distances.length ? h('div', { class: 'distances' },
      h('h3', {}, 'Simhash per feature family: bits that differ of 64 (0 = same, 3 or fewer = near-duplicate)'),
      table(['Family', 'Bits that differ', 'Bits the same'], distances.map((d) => [d.family, `${d.distance} / 64`,
        h('meter', { attrs: { min: 0, max: 64, low: 40, high: 54, optimum: 64, value: 64 - d.distance, title: `${64 - d.distance} of 64 bits the same` } })]))) : null,
    m.evidence.length === 0 ? h('p', { class: 'muted' }, 'No evidence items.') : table(['Feature', 'What matched', 'Weight', 'Reference page'],
      m.evidence.map((e) => [h('code', {}, e.feature), highlighted(e.matched, m.identifiers), scoreText(e.weight), e.reference ?? '—'])));
}

function historySection(m: MatchDetail): HTMLElement {
  const hist = m.history;
  return h('section', { class: 'panel' },
    h('h2', {}, 'Domain history'),
    hist ? facts([
      ['First seen', formatTime(hist.firstSeenAt)],
      ['Last checked', formatTime(hist.lastCheckedAt)],
      ['Checks', hist.checks],
      ['Liveness', hist.liveness],
      ['Redirects seen', hist.redirects.length ? h('ol', { class: 'plain' }, ...hist.redirects.map((r) => h('li', {}, h('code', {}, r)))) : 'none'],
    ]) : h('p', { class: 'muted' }, 'No history recorded.'));
}

function evidenceFiles(m: MatchDetail): HTMLElement {
  const manifest = m.manifestJson;
  const warc = text(at(manifest, 'warc.sha256'));
  const body = text(at(manifest, 'body.sha256'));
  const file = (label: string, sha: string | null, ext: string, extra?: Child): Child[] => [
    label,
    sha ? h('span', {}, h('code', { class: 'hash', title: sha }, sha), ' ',
      h('button', { class: 'link', attrs: { type: 'button' }, on: { click: () => void download(`/api/evidence/${encodeURIComponent(sha)}`, `${sha}.${ext}`).catch((err: unknown) => say(`Download failed: ${errorText(err)}`, 'error')) } }, 'download'),
      extra ?? null) : h('span', { class: 'muted' }, 'not kept'),
  ];
  const rows = [
    file('Manifest (SHA-256)', m.manifest, 'manifest.json'),
    file('WARC (SHA-256)', warc, 'warc.gz', text(at(manifest, 'warc.bytes')) ? h('span', { class: 'muted' }, ` ${Number(at(manifest, 'warc.bytes')).toLocaleString('en')} bytes`) : null),
    file('Page body (SHA-256)', body, 'html', h('span', { class: 'muted' }, ' (downloaded as a file, never opened)')),
    file('Screenshot (SHA-256)', m.screenshot, 'png'),
  ];
  return h('section', { class: 'panel' },
    h('h2', {}, 'Evidence files'),
    h('dl', { class: 'facts' }, ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
    manifest ? h('details', {}, h('summary', {}, 'Manifest contents'), h('pre', { class: 'json' }, JSON.stringify(manifest, null, 2))) : null);
}

function guardSection(m: MatchDetail): HTMLElement {
  const excluded = m.guard?.excluded ?? [];
  return h('section', { class: 'panel' },
    h('h2', {}, 'What an export would leave out'),
    excluded.length === 0
      ? h('p', {}, 'Nothing: the collateral-damage guard lets this domain into exports once confirmed.')
      : h('ul', { class: 'guard' }, ...excluded.map((e) => h('li', {}, h('code', {}, e.value), ' — ', e.reason))));
}

function decisionsSection(m: MatchDetail, decide: (kind: DecisionKind) => void): HTMLElement {
  const allowed = canDecide();
  return h('section', { class: 'panel decisions' },
    h('h2', {}, 'Decision'),
    h('div', { class: 'actions' },
      ...(['confirm', 'reject', 'needs-more'] as DecisionKind[]).map((kind) =>
        h('button', { class: `decide-${kind}`, data: { decision: kind }, attrs: { type: 'button', disabled: !allowed, title: allowed ? `${DECISION_LABEL[kind]} (key ${kind[0]})` : 'your role (viewer) cannot decide' }, on: { click: () => decide(kind) } },
          DECISION_LABEL[kind], h('kbd', {}, kind[0]!)))),
    allowed ? null : h('p', { class: 'muted' }, `Signed in as ${session.me?.reviewer ?? '?'} (${session.me?.role ?? '?'}): you can look, not decide.`),
    h('h3', {}, 'History of decisions'),
    m.decisions.length === 0 ? h('p', { class: 'muted' }, 'No decision yet.') : table(['#', 'When', 'Reviewer', 'Decision', 'Reason', 'Record hash'],
      m.decisions.map((d) => [d.seq, formatTime(d.at), d.reviewer, stateBadge(d.decision), d.reason, h('code', { title: `hash ${d.hash}\nprevious ${d.prevHash}` }, shortHash(d.hash))]), { class: 'decision-log' }));
}

/**
 * The fetch as the feed entry keeps it, completed from the manifest (which also has the resolver,
 * the connections and the HTTP exchanges with their WARC record ids).
 */
function fetchOf(m: MatchDetail): Record<string, unknown> | null {
  const fromManifest = obj(at(m.manifestJson, 'fetch'));
  const fromFeed = obj(m.fetch);
  return fromManifest || fromFeed ? { ...(fromManifest ?? {}), ...(fromFeed ?? {}) } : null;
}

/** The queue neighbour of a match, for j / k and for moving on after a decision. */
function neighbour(id: string, step: number): string | null {
  const items = session.queue?.items ?? [];
  const i = items.findIndex((item) => item.id === id);
  if (i === -1) return null;
  const next = items[i + step];
  if (next && session.queue) session.queue.index = i + step;
  return next?.id ?? null;
}

export async function renderMatch(root: HTMLElement, id: string): Promise<void> {
  replaceChildren(root, h('p', { class: 'muted' }, 'Loading the match…'));
  let m: MatchDetail;
  try {
    m = await api.match(id);
  } catch (err) {
    replaceChildren(root, h('p', { class: 'form-error' }, `The match could not be loaded: ${errorText(err)}`), h('a', { attrs: { href: queueHref(session.queue?.filter ?? DEFAULT_FILTER) } }, 'Back to the queue'));
    return;
  }
  const backHref = queueHref(session.queue?.filter ?? DEFAULT_FILTER);
  const open = (target: string | null): void => { if (target) location.hash = `#/match/${encodeURIComponent(target)}`; };
  const decide = (kind: DecisionKind): void => {
    if (!canDecide()) return say('Your role can view matches but not decide on them.', 'error');
    void decideOne(m, kind).then((recorded) => {
      if (!recorded) return;
      const next = neighbour(m.id, 1);
      if (next) open(next);
      else void renderMatch(root, m.id);
    });
  };
  replaceChildren(root,
    h('div', { class: 'match' },
      h('nav', { class: 'crumbs' }, h('a', { attrs: { href: backHref } }, '← Queue'), ' ', h('span', { class: 'muted' }, 'j / k: next / previous · c r n: decide · ?: keys')),
      h('header', { class: 'match-head' },
        h('h1', {}, m.domain), verdictBadge(m.verdict), stateBadge(m.state),
        facts([
          ['Site', m.site], ['Relation', m.relation], ['Score', scoreText(m.score)], ['Page kind', m.pageKind],
          ['Recorded', formatTime(m.recordedAt)], ['Found by', m.source],
        ])),
      sideBySide(m),
      h('div', { class: 'columns' },
        h('div', {}, decisionsSection(m, decide), evidenceSection(m), guardSection(m)),
        h('div', {}, historySection(m), fetchRecord(fetchOf(m)), evidenceFiles(m)))));
  window.scrollTo(0, 0);
  setKeys({
    j: () => open(neighbour(m.id, 1)),
    k: () => open(neighbour(m.id, -1)),
    u: () => { location.hash = backHref; },
    c: () => decide('confirm'),
    r: () => decide('reject'),
    n: () => decide('needs-more'),
  }, root);
}
