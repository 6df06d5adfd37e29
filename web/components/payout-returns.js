// Returned transfers (退匯) of a paid batch: the centre uploads the bank's CSV (columns application_id,
// amount, reason; template below), sees each row and the fee in a dry run, then applies it
// (POST /api/rewards/payouts/{id}/returns, multipart file + dry_run). Applied rows go back to 待補正.
import { h, replace, table, busy } from '../dom.js';
import { apiUpload } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatMoney } from '../format.js';
import { downloadLink } from './download-link.js';

function rowsTable(rows) {
  return table({
    testid: 'returns-rows', rows,
    rowAttrs: (r) => ({ testid: 'returns-row', 'data-status': r.status }),
    columns: [
      { label: t('returns.col_row'), render: (r) => String(r.row) },
      { label: t('returns.col_student'), render: (r) => r.student_id || h('code', {}, r.application_id) },
      { label: t('returns.col_amount'), render: (r) => formatMoney(r.amount) },
      { label: t('returns.col_fee'), render: (r) => formatMoney(r.fee) },
      { label: t('returns.col_repay'), render: (r) => formatMoney(r.repayable) },
      { label: t('returns.col_reason'), render: (r) => r.reason },
      { label: t('returns.col_check'), render: (r) => h('span', { class: ['badge', r.status === 'ok' ? 'result-yes' : 'result-no'] }, pick(r.message, r.message_en)) },
    ],
  });
}

export function payoutReturns(batch, { message, onApplied }) {
  const id = encodeURIComponent(batch.id);
  const file = h('input', { type: 'file', accept: '.csv,text/csv', testid: 'returns-file', 'aria-label': t('returns.file') });
  const result = h('div', { testid: 'returns-result' });
  const check = h('button', { type: 'button', class: 'btn', testid: 'returns-dry-run' }, t('returns.dry_run'));
  const apply = h('button', { type: 'button', class: 'btn btn-primary', testid: 'returns-apply', disabled: true }, t('returns.apply'));

  async function send(dryRun) {
    message.clear();
    if (!file.files[0]) {
      message.show(t('returns.no_file'), 'error');
      return;
    }
    const data = new FormData();
    data.append('file', file.files[0]);
    data.append('dry_run', String(dryRun));
    try {
      const answer = await apiUpload(`/api/rewards/payouts/${id}/returns`, data, { method: 'POST' });
      replace(result, rowsTable(answer.rows));
      const allOk = answer.rows.every((r) => r.status === 'ok');
      apply.disabled = !dryRun || !allOk;
      if (dryRun) message.show(t(allOk ? 'returns.checked_ok' : 'returns.checked_bad'), allOk ? 'info' : 'error');
      else {
        message.show(t('returns.applied', { n: answer.returned }), 'success');
        onApplied?.();
      }
    } catch (err) {
      message.show(err.message, 'error');
    }
  }
  file.addEventListener('change', () => { apply.disabled = true; replace(result); });
  check.addEventListener('click', () => busy(check, () => send(true)));
  apply.addEventListener('click', () => busy(apply, () => send(false)));

  return h('details', { class: 'batch-returns', testid: 'payout-returns' },
    h('summary', {}, t('returns.title')),
    h('p', { class: 'hint' }, t('returns.hint')),
    downloadLink({ path: '/api/rewards/payouts/returns/template.csv', label: t('returns.template'), testid: 'returns-template',
      fallbackName: 'payout-returns-template.csv', onError: (err) => message.show(err.message, 'error') }),
    file, h('div', { class: 'row-actions' }, check, apply), result);
}
