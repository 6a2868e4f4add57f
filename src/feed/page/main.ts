/**
 * The review page: log in with a token, then the queue (#/queue?...), one match (#/match/ID)
 * and the sites (#/sites). The hash holds where you are, so the back button and bookmarks work
 * and nothing about a match ever goes to the server in a URL path it logs.
 */
import { api, forgetToken, setToken, token, whenUnauthorised } from './api.js';
import { h, replaceChildren } from './dom.js';
import { installKeyboard, setKeys, showHelp } from './keyboard.js';
import { renderMatch } from './matchView.js';
import { filterFromParams, queueHref, renderQueue } from './queueView.js';
import { DEFAULT_FILTER, errorText, session } from './session.js';
import { renderSites } from './sitesView.js';

const app = document.getElementById('app')!;
const header = document.getElementById('top')!;

function drawHeader(): void {
  const me = session.me;
  replaceChildren(header,
    h('a', { class: 'brand', attrs: { href: queueHref(session.queue?.filter ?? DEFAULT_FILTER) } }, 'hopwatch ', h('span', {}, 'review')),
    me ? h('nav', { class: 'main-nav' },
      h('a', { attrs: { href: queueHref(session.queue?.filter ?? DEFAULT_FILTER) } }, 'Queue'),
      h('a', { attrs: { href: '#/sites' } }, 'Sites'),
      h('button', { class: 'link', attrs: { type: 'button', title: 'keyboard shortcuts' }, on: { click: showHelp } }, 'Keys ?')) : null,
    me ? h('span', { class: 'who' }, h('span', { class: 'reviewer' }, me.reviewer), ' ', h('span', { class: `badge role-${me.role}` }, me.role), ' ',
      h('button', { class: 'link', attrs: { type: 'button' }, on: { click: logout } }, 'Log out')) : null);
}

function logout(): void {
  forgetToken();
  session.me = null;
  session.queue = null;
  session.sites = null;
  location.hash = '#/';
  void route();
}

function loginForm(message?: string): void {
  setKeys({});
  drawHeader();
  const input = h('input', { id: 'token', attrs: { type: 'password', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false' } });
  const error = h('p', { class: 'form-error', attrs: { 'aria-live': 'polite' } }, message ?? '');
  const form = h('form', { class: 'login panel' },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Paste your review token. It stays in this tab only (session storage) and is sent as a header, never as a cookie.'),
    h('label', { attrs: { for: 'token' } }, 'Token'), input, error,
    h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    input.value = '';
    void signIn().then((ok) => { if (ok) void route(); });
  });
  replaceChildren(app, form);
  input.focus();
}

async function signIn(): Promise<boolean> {
  try {
    session.me = await api.me();
    return true;
  } catch (err) {
    forgetToken();
    session.me = null;
    loginForm(`Not signed in: ${errorText(err)}`);
    return false;
  }
}

async function route(): Promise<void> {
  if (!token()) return loginForm();
  if (!session.me && !(await signIn())) return;
  drawHeader();
  setKeys({});
  const hash = location.hash.replace(/^#/, '') || '/queue';
  const [path = '', search = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  document.body.dataset.view = parts[0] ?? 'queue';
  // each route draws into its own element: a slow load of a view already left draws into a detached one
  const view = h('div', { class: 'view' });
  replaceChildren(app, view);
  if (parts[0] === 'match' && parts[1]) return renderMatch(view, decodeURIComponent(parts[1]));
  if (parts[0] === 'sites') {
    await renderSites(view);
    if (parts[1]) document.getElementById(`site-${decodeURIComponent(parts[1])}`)?.scrollIntoView();
    return;
  }
  return renderQueue(view, filterFromParams(new URLSearchParams(search)));
}

whenUnauthorised(() => {
  forgetToken();
  session.me = null;
  loginForm('Your token was not accepted (expired or revoked). Sign in again.');
});
installKeyboard();
window.addEventListener('hashchange', () => void route());
void route();
