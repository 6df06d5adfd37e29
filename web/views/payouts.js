// Centre: payout batches. Applications whose second review passed
// (status second_passed) are put in a batch (POST /api/rewards/payouts
// {application_ids}), exported as a bank-transfer CSV (GET …/{id}/export.csv)
// and marked paid (POST …/{id}/paid); a paid batch takes the bank's returned
// transfers (退匯, components/payout-returns.js). Batches: GET /api/rewards/payouts, each
// with its application_ids, shown per batch (named from the applications this
// screen knows, the others fetched when their list is opened).
import { h, replace, table, messageRegion, busy, pageTitle } from '../dom.js';
import { api, fetchAll, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatDateTime, formatMoney, studentLabel } from '../format.js';
import { applicationTable } from '../components/application-table.js';
import { confirmButton } from '../components/confirm-button.js';
import { downloadLink } from '../components/download-link.js';
import { payoutReturns } from '../components/payout-returns.js';
import { passbookButton } from '../components/passbook-button.js';

const OPEN_UP_TO = 5; // batches this small show their applications without a click
const FETCH_UP_TO = 100; // names fetched one by one when a list is opened

/** Application ids in an unpaid batch (not offered again). */
function batchedIds(list) {
  return new Set(list.filter((b) => !b.paid_at).flatMap((b) => (b.application_ids || []).map(String)));
}

function applicationText(app) {
  return [studentLabel(app), app.label, formatMoney(app.amount)].filter(Boolean).join(' · ');
}

/** 115學年第1批 / AY115 batch 1 (as the API names it). */
function batchName(batch) {
  return pick(batch.name, batch.name_en) || String(batch.id).slice(0, 8);
}

export function render(root, ctx) {
  const message = messageRegion('payout-message');
  const candidates = h('div', { class: 'list-holder' }, t('common.loading'));
  const batches = h('div', { class: 'list-holder', testid: 'payout-batches' });
  const selected = new Set();
  const known = new Map(); // application id -> application, for the batches' lists
  let batchList = [];
  const create = h('button', { type: 'button', class: 'btn btn-primary', testid: 'payout-create' }, t('payout.create'));

  async function loadCandidates() {
    try {
      const inBatch = batchedIds(batchList);
      const all = await fetchAll('/api/rewards/applications', { status: 'second_passed' });
      all.forEach((a) => known.set(String(a.id), a));
      const rows = all.filter((a) => !inBatch.has(String(a.id)));
      selected.clear();
      replace(candidates, applicationTable({
        rows, testid: 'payout-candidates', rowTestid: 'payout-candidate',
        lead: (a) => h('input', {
          type: 'checkbox', testid: 'payout-select', 'data-id': a.id, 'aria-label': t('payout.select_row', { label: a.label }),
          onChange: (e) => (e.target.checked ? selected.add(a.id) : selected.delete(a.id)),
        }),
        actions: (a) => passbookButton(a, ctx.user, 'payout-passbook'),
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
        fallbackName: `payout-${batch.academic_year ? `AY${batch.academic_year}-${batch.year_seq}` : batch.id}.csv`, onError: (err) => message.show(err.message, 'error'),
      }),
      batch.paid_at ? payoutReturns(batch, { message, onApplied: refresh }) : confirmButton({
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

  function batchApplications(batch) {
    const ids = (batch.application_ids || []).map(String);
    const items = ids.map((id) => {
      const li = h('li', { testid: 'payout-batch-application', 'data-id': id });
      const app = known.get(id);
      if (app) li.append(applicationText(app));
      else li.append(h('code', { title: id }, id.slice(0, 8)));
      return li;
    });
    const box = h('details', { class: 'batch-applications', testid: 'payout-batch-applications', open: ids.length <= OPEN_UP_TO },
      h('summary', {}, t('payout.applications', { n: ids.length })), h('ul', {}, items));
    let fetched = false;
    const fill = async () => {
      if (fetched || !box.open) return;
      fetched = true;
      const missing = ids.filter((id) => !known.has(id)).slice(0, FETCH_UP_TO);
      await Promise.all(missing.map(async (id) => {
        try {
          known.set(id, await api(`/api/rewards/applications/${encodeURIComponent(id)}`));
        } catch {
          return; // keeps the short id
        }
        const li = items[ids.indexOf(id)];
        replace(li, applicationText(known.get(id)));
      }));
    };
    box.addEventListener('toggle', fill);
    queueMicrotask(fill);
    return box;
  }

  async function loadBatches() {
    try {
      batchList = itemsOf(await api('/api/rewards/payouts'));
    } catch (err) {
      message.show(err.message, 'error');
      batchList = [];
    }
  }

  function drawBatches() {
    replace(batches, table({
      testid: 'payout-table', rows: batchList, empty: t('payout.no_batches'),
      rowAttrs: (b) => ({ testid: 'payout-batch', 'data-id': b.id, 'data-paid': String(Boolean(b.paid_at)) }),
      columns: [
        { label: t('payout.col_id'), render: (b) => h('span', { title: b.id, testid: 'payout-batch-name' }, batchName(b)) },
        { label: t('payout.col_created'), render: (b) => formatDateTime(b.created_at) },
        { label: t('payout.col_count'), render: (b) => String(b.count ?? '') },
        { label: t('payout.col_applications'), render: batchApplications },
        { label: t('payout.col_total'), render: (b) => formatMoney(b.total) },
        { label: t('payout.col_paid'), render: (b) => (b.paid_at ? formatDateTime(b.paid_at) : t('payout.unpaid')) },
        { label: t('common.actions'), render: batchActions },
      ],
    }));
  }

  async function refresh() {
    await loadBatches(); // first: its applications are not offered again
    await loadCandidates(); // then: names the batches' applications
    drawBatches();
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
      message.show(t('payout.created', { id: batchName(batch) }), 'success');
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
