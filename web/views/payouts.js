// Centre: payout batches. Applications whose second review passed
// (status second_passed) are put in a batch (POST /api/rewards/payouts
// {application_ids}), exported as a bank-transfer CSV (GET …/{id}/export.csv)
// and marked paid (POST …/{id}/paid). Batches: GET /api/rewards/payouts.
import { h, replace, table, messageRegion, busy, pageTitle } from '../dom.js';
import { api, fetchAll, itemsOf } from '../api.js';
import { t } from '../i18n.js';
import { formatDateTime, formatMoney } from '../format.js';
import { applicationTable } from '../components/application-table.js';
import { confirmButton } from '../components/confirm-button.js';
import { downloadLink } from '../components/download-link.js';

const LOCAL_KEY = 'certhub.payouts'; // application ids of batches made here (the list has none)

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(LOCAL_KEY) || '[]');
  } catch {
    return [];
  }
}

function remember(batch) {
  const list = remembered().filter((b) => String(b.id) !== String(batch.id));
  list.unshift(batch);
  localStorage.setItem(LOCAL_KEY, JSON.stringify(list.slice(0, 50)));
}

/** Application ids already in a known unpaid batch. */
function batchedIds(list) {
  const open = new Set(list.filter((b) => !b.paid_at).map((b) => String(b.id)));
  return new Set(remembered().filter((b) => open.has(String(b.id))).flatMap((b) => (b.application_ids || []).map(String)));
}

export function render(root) {
  const message = messageRegion('payout-message');
  const candidates = h('div', { class: 'list-holder' }, t('common.loading'));
  const batches = h('div', { class: 'list-holder', testid: 'payout-batches' });
  const selected = new Set();
  let batchList = [];
  const create = h('button', { type: 'button', class: 'btn btn-primary', testid: 'payout-create' }, t('payout.create'));

  async function loadCandidates() {
    try {
      const inBatch = batchedIds(batchList);
      const rows = (await fetchAll('/api/rewards/applications', { status: 'second_passed' })).filter((a) => !inBatch.has(String(a.id)));
      selected.clear();
      replace(candidates, applicationTable({
        rows, testid: 'payout-candidates', rowTestid: 'payout-candidate',
        lead: (a) => h('input', {
          type: 'checkbox', testid: 'payout-select', 'data-id': a.id, 'aria-label': t('payout.select_row', { label: a.label }),
          onChange: (e) => (e.target.checked ? selected.add(a.id) : selected.delete(a.id)),
        }),
      }));
    } catch (err) {
      replace(candidates);
      message.show(err.message, 'error');
    }
  }

  function batchActions(batch) {
    const id = encodeURIComponent(batch.id);
    return h('div', { class: 'row-actions' },
      downloadLink({
        path: `/api/rewards/payouts/${id}/export.csv`, label: t('payout.export'), testid: 'payout-export',
        fallbackName: `payout-${batch.id}.csv`, onError: (err) => message.show(err.message, 'error'),
      }),
      batch.paid_at ? null : confirmButton({
        label: t('payout.mark_paid'), question: t('payout.paid_question'), testid: 'payout-paid', className: 'btn btn-primary',
        onConfirm: async () => {
          try {
            await api(`/api/rewards/payouts/${id}/paid`, { method: 'POST' });
            message.show(t('payout.paid_done'), 'success');
            await refresh();
          } catch (err) {
            message.show(err.message, 'error');
          }
        },
      }));
  }

  async function loadBatches() {
    let list;
    try {
      list = itemsOf(await api('/api/rewards/payouts'));
    } catch (err) {
      message.show(err.message, 'error');
      list = [];
    }
    batchList = list;
    replace(batches, table({
      testid: 'payout-table', rows: list, empty: t('payout.no_batches'),
      rowAttrs: (b) => ({ testid: 'payout-batch', 'data-id': b.id, 'data-paid': String(Boolean(b.paid_at)) }),
      columns: [
        { label: t('payout.col_id'), render: (b) => String(b.id) },
        { label: t('payout.col_created'), render: (b) => formatDateTime(b.created_at) },
        { label: t('payout.col_count'), render: (b) => String(b.count ?? '') },
        { label: t('payout.col_total'), render: (b) => formatMoney(b.total) },
        { label: t('payout.col_paid'), render: (b) => (b.paid_at ? formatDateTime(b.paid_at) : t('payout.unpaid')) },
        { label: t('common.actions'), render: batchActions },
      ],
    }));
  }

  async function refresh() {
    await loadBatches();
    await loadCandidates();
  }

  create.addEventListener('click', () => busy(create, async () => {
    message.clear();
    if (!selected.size) {
      message.show(t('payout.none_selected'), 'error');
      return;
    }
    try {
      const ids = [...selected];
      const batch = await api('/api/rewards/payouts', { method: 'POST', json: { application_ids: ids } });
      remember({ id: batch.id, application_ids: ids });
      message.show(t('payout.created', { id: batch.id }), 'success');
      await refresh();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  root.append(pageTitle(t('payout.title')), h('p', { class: 'lead' }, t('payout.intro')), message.el,
    h('section', { 'aria-labelledby': 'payout-candidates-title' },
      h('h2', { id: 'payout-candidates-title' }, t('payout.candidates')), candidates, create),
    h('section', { 'aria-labelledby': 'payout-batches-title' },
      h('h2', { id: 'payout-batches-title' }, t('payout.batches')), batches));
  refresh();
}
