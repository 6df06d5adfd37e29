// The decision controls of one review-desk row: an optional reason code
// (GET /api/review/reasons), the reason, only the decisions valid for the item,
// and the row's own result line (testid row-message).
import { h, uid } from '../dom.js';
import { t, pick } from '../i18n.js';
import { allowedDecisions, passBlocked, reasonNeeded } from './decision-rules.js';

function rowMessage(state) {
  return h('p', {
    class: ['row-message', state && `message-${state.kind}`], testid: 'row-message',
    role: state?.kind === 'error' ? 'alert' : 'status', 'aria-live': 'polite',
  }, state?.text || '');
}

function reasonCodeSelect(codes, onPick) {
  const el = h('select', { testid: 'decision-reason-code', class: 'reason-code', id: uid('code'), 'aria-label': t('queue.reason_code') },
    h('option', { value: '' }, t('queue.reason_code_none')),
    codes.map((c) => h('option', { value: c.code }, pick(c.label, c.label_en))));
  el.addEventListener('change', () => onPick(codes.find((c) => c.code === el.value)));
  return el;
}

/**
 * decisionCell(row, {track, isCenter, reasonCodes, state, onDecide(row, decision, {reason, reason_code}, button)})
 */
export function decisionCell(row, { track, isCenter, reasonCodes, state, onDecide }) {
  const message = rowMessage(state);
  if (row.decision_pending) {
    return h('div', { class: 'decision-box' }, h('p', { class: 'muted', testid: 'decision-pending', 'data-decision': row.last_decision || '' },
      t('queue.decision_pending', { decision: row.last_decision ? t(`decision.${row.last_decision}`) : '' })), message);
  }
  const allowed = allowedDecisions(row, track, isCenter);
  if (!allowed.length) {
    return h('div', { class: 'decision-box' }, h('p', { class: 'muted', testid: 'decision-none' }, t('queue.nothing_to_decide')), message);
  }
  const needsReason = reasonNeeded(row, 'approved');
  const reason = h('input', {
    type: 'text', id: uid('reason'), testid: 'decision-reason', class: 'reason-input', maxlength: '500',
    placeholder: needsReason ? t('queue.reason_override') : t('queue.reason_optional'), 'aria-required': needsReason ? 'true' : null,
  });
  const code = reasonCodes ? reasonCodeSelect(reasonCodes, (c) => {
    if (c && !reason.value.trim()) reason.value = pick(c.fix || c.label, c.fix_en || c.label_en);
  }) : null;
  const blocked = passBlocked(row, track);
  const buttons = allowed.map((d) => {
    const off = blocked && d !== 'rejected' && d !== 'rereview';
    const b = h('button', {
      type: 'button', class: ['btn', 'btn-small', `decision-${d}`], testid: `decision-${d}`, 'data-decision': d,
      disabled: off, title: off ? t('queue.original_first') : null,
    }, d === 'approved' && row.status === 'credit_pending' ? t('queue.registrar_recorded') : t(`decision.${d}`));
    b.addEventListener('click', () => onDecide(row, d, { reason: reason.value.trim(), reason_code: code?.value || null }, b));
    return b;
  });
  return h('div', { class: 'decision-box' },
    h('div', { class: 'reason-line' },
      h('label', { for: reason.id, class: 'small-label' }, t('queue.reason'),
        needsReason ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      code, reason),
    h('div', { class: 'row-actions' }, buttons),
    blocked ? h('p', { class: 'desk-sub', testid: 'decision-blocked' }, t('queue.original_first')) : null,
    message);
}
