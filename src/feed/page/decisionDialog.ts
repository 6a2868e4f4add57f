/**
 * The one form a decision goes through, for one match or a selected set: the decision, and a
 * reason the audit log keeps (3..2000 characters, required). The last reason given for each
 * decision is offered again, selected, so a reviewer doing a hundred a day types it once and
 * a new reason simply replaces it.
 */
import { h } from './dom.js';
import { DECISION_LABEL, type DecisionKind } from './types.js';

export const REASON_MIN = 3;
export const REASON_MAX = 2000;

const lastReason = new Map<DecisionKind, string>();

export interface DecisionInput {
  decision: DecisionKind;
  reason: string;
}

/** What the decision is about, in words: "mirror-one.test" or "12 matches". */
export function askDecision(subject: string, initial: DecisionKind, detail?: string): Promise<DecisionInput | null> {
  return new Promise((resolve) => {
    const choices = (Object.keys(DECISION_LABEL) as DecisionKind[]).map((kind) =>
      h('label', { class: `choice choice-${kind}` },
        h('input', { attrs: { type: 'radio', name: 'decision', value: kind, checked: kind === initial } }),
        ` ${DECISION_LABEL[kind]}`),
    );
    const reason = h('textarea', {
      id: 'decision-reason',
      attrs: { name: 'reason', required: true, minlength: REASON_MIN, maxlength: REASON_MAX, rows: 4, 'aria-describedby': 'decision-hint', placeholder: 'Why? (kept in the audit log with your name)' },
    });
    reason.value = lastReason.get(initial) ?? '';
    const error = h('p', { class: 'form-error', attrs: { 'aria-live': 'polite' } });
    const form = h('form', { attrs: { method: 'dialog' } },
      h('h2', {}, `Decision on ${subject}`),
      detail ? h('p', { class: 'muted' }, detail) : null,
      h('fieldset', { class: 'choices' }, h('legend', {}, 'Decision'), ...choices),
      h('label', { attrs: { for: 'decision-reason' } }, 'Reason'),
      reason,
      h('p', { id: 'decision-hint', class: 'muted' }, 'Enter records the decision · Shift+Enter starts a new line · Esc cancels'),
      error,
      h('div', { class: 'actions' },
        h('button', { class: 'primary', attrs: { type: 'submit', value: 'record' } }, 'Record decision'),
        h('button', { attrs: { type: 'button', value: 'cancel' }, on: { click: () => finish(null) } }, 'Cancel')),
    );
    const dialog = h('dialog', { class: 'decision-dialog', attrs: { 'aria-label': `Decision on ${subject}` } }, form);
    const chosen = (): DecisionKind => (form.querySelector<HTMLInputElement>('input[name=decision]:checked')?.value as DecisionKind | undefined) ?? initial;
    let done = false;
    const finish = (value: DecisionInput | null): void => {
      if (done) return;
      done = true;
      if (value) lastReason.set(value.decision, value.reason);
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    const submit = (): void => {
      const text = reason.value.trim();
      if (text.length < REASON_MIN || text.length > REASON_MAX) {
        error.textContent = `A reason of ${REASON_MIN} to ${REASON_MAX} characters is required.`;
        reason.focus();
        return;
      }
      finish({ decision: chosen(), reason: text });
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    form.addEventListener('change', () => {
      // switching the decision offers that decision's last reason, unless one was typed
      const previous = [...lastReason.values()];
      if (reason.value === '' || previous.includes(reason.value)) reason.value = lastReason.get(chosen()) ?? '';
    });
    reason.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      }
    });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    reason.focus();
    reason.select();
  });
}
