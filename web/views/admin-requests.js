// Admin: students' catalog requests (GET /api/catalog/requests); accept
// (POST …/{id}/accept, creates the entry) or decline with a reason
// (POST …/{id}/decline {"reason"}).
import { h, replace, select, table, messageRegion, busy, pageTitle, uid } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, codeLabel } from '../i18n.js';
import { formatDateTime, studentLabel } from '../format.js';
import { loadCategories, categoryOptions } from '../components/categories.js';

export function render(root) {
  const message = messageRegion('requests-message');
  const holder = h('div', { class: 'list-holder' });
  const onlyPending = h('input', { type: 'checkbox', id: uid('chk'), testid: 'requests-only-pending', checked: true });
  let categories = [];

  function decide(row, action, body, button) {
    message.clear();
    if (action === 'decline' && !body.reason) {
      message.show(t('requests.reason_required'), 'error');
      return;
    }
    busy(button, async () => {
      try {
        await api(`/api/catalog/requests/${encodeURIComponent(row.id)}/${action}`, { method: 'POST', json: body });
        message.show(t(action === 'accept' ? 'requests.accepted' : 'requests.declined', { name: row.name }), 'success');
        load();
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  }

  function actions(row) {
    if (row.status && row.status !== 'pending') return row.reason || '';
    const cat = select({ testid: 'request-category', id: uid('cat'), required: true }, categoryOptions(categories), { empty: t('requests.category') });
    const reason = h('input', { type: 'text', id: uid('reason'), testid: 'request-decline-reason', class: 'reason-input' });
    const accept = h('button', { type: 'button', class: 'btn btn-small decision-approved', testid: 'request-accept' }, t('requests.accept'));
    const decline = h('button', { type: 'button', class: 'btn btn-small decision-rejected', testid: 'request-decline' }, t('requests.decline'));
    accept.addEventListener('click', () => {
      const code = categories.find((c) => String(c.code) === cat.value)?.code;
      if (code === undefined) {
        message.show(t('requests.category_required'), 'error');
        cat.setAttribute('aria-invalid', 'true');
        cat.focus();
        return;
      }
      decide(row, 'accept', { category: code }, accept);
    });
    decline.addEventListener('click', () => decide(row, 'decline', { reason: reason.value.trim() }, decline));
    return h('div', { class: 'decision-box' },
      h('label', { for: cat.id, class: 'small-label' }, t('requests.category'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), cat, accept,
      h('label', { for: reason.id, class: 'small-label' }, t('requests.reason')), reason, decline);
  }

  async function load() {
    try {
      const rows = itemsOf(await api('/api/catalog/requests', { query: { status: onlyPending.checked ? 'pending' : null, limit: 100 } }));
      replace(holder, table({
        testid: 'requests-table', rows, empty: t('requests.none'),
        rowAttrs: (r) => ({ testid: 'request-row', 'data-id': r.id, 'data-status': r.status || 'pending' }),
        columns: [
          { label: t('requests.col_created'), render: (r) => formatDateTime(r.created_at) },
          { label: t('requests.col_student'), render: studentLabel },
          { label: t('request.name'), render: (r) => r.name },
          { label: t('request.issuer'), render: (r) => r.issuer },
          { label: t('request.level_name'), render: (r) => r.level_name || '' },
          { label: t('request.note'), render: (r) => r.note || '' },
          { label: t('requests.col_status'), render: (r) => h('span', { class: ['badge', `req-${r.status || 'pending'}`], testid: 'request-status' }, codeLabel('request_status', r.status || 'pending', r.status)) },
          { label: t('common.actions'), render: actions },
        ],
      }));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  onlyPending.addEventListener('change', load);
  root.append(pageTitle(t('requests.title')), message.el,
    h('p', { class: 'check' }, onlyPending, h('label', { for: onlyPending.id }, t('requests.only_pending'))), holder);
  loadCategories().then((list) => {
    categories = list;
    load();
  });
}
