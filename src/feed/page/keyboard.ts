/**
 * Single-key shortcuts for the view on screen. A key typed into a form field, or with a
 * modifier, or while a dialog is open, is the browser's, never a shortcut.
 */
import { h } from './dom.js';

export type KeyHandlers = Partial<Record<string, () => void>>;

let handlers: KeyHandlers = {};

export const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['j / k', 'next / previous match'],
  ['Enter', 'open the match'],
  ['c', 'confirm (asks for a reason)'],
  ['r', 'reject (asks for a reason)'],
  ['n', 'needs more (asks for a reason)'],
  ['x', 'select / unselect the match for a bulk decision'],
  ['u', 'back to the queue'],
  ['/', 'filter by domain'],
  ['?', 'this help'],
];

/**
 * The keys of the view drawn in `owner`. A view whose load finished after the reviewer had
 * already moved on (owner no longer in the document) takes no keys.
 */
export function setKeys(next: KeyHandlers, owner?: Element): void {
  if (owner && !owner.isConnected) return;
  handlers = next;
}

function typingInto(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function showHelp(): void {
  if (document.querySelector('dialog.help[open]')) return;
  const dialog = h('dialog', { class: 'help', attrs: { 'aria-label': 'Keyboard shortcuts' } },
    h('h2', {}, 'Keyboard'),
    h('dl', { class: 'keys' }, ...KEY_HELP.flatMap(([key, what]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, what)])),
    h('form', { attrs: { method: 'dialog' } }, h('button', { attrs: { type: 'submit' } }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}

export function installKeyboard(): void {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typingInto(event.target) || document.querySelector('dialog[open]')) return;
    const key = event.key === '?' ? '?' : event.key === 'Enter' ? 'Enter' : event.key.toLowerCase();
    if (key === '?') {
      event.preventDefault();
      showHelp();
      return;
    }
    const handler = handlers[key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  });
}
