// A two-step button for destructive actions: the first click asks, a second
// button (testid `${testid}-confirm`) does it. No window.confirm(), so it
// works the same for people, screen readers and browser tests.
import { h, replace, busy } from '../dom.js';
import { t } from '../i18n.js';

export function confirmButton({ label, question, testid, onConfirm, className = 'btn btn-danger' }) {
  const box = h('span', { class: 'confirm-box' });
  const first = h('button', { type: 'button', class: className, testid }, label);

  function reset() {
    replace(box, first);
  }

  first.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'btn btn-danger', testid: `${testid}-confirm` }, t('common.confirm'));
    const no = h('button', { type: 'button', class: 'btn btn-ghost', testid: `${testid}-cancel`, onClick: reset }, t('common.cancel'));
    yes.addEventListener('click', () => busy(yes, onConfirm).finally(() => yes.isConnected && reset()));
    replace(box, h('span', { class: 'confirm-question', role: 'alert' }, question || t('common.are_you_sure')), yes, no);
    yes.focus();
  });
  reset();
  return box;
}
