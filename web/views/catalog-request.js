// Student: ask for a missing catalog entry (POST /api/catalog/requests)
// instead of phoning the office, and read the answers to their own requests
// (GET /api/catalog/requests: status, the admin's decline reason).
import { h, replace, field, table, messageRegion, showFieldErrors, clearFieldErrors, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, codeLabel } from '../i18n.js';
import { formatDateTime } from '../format.js';

function answerText(r) {
  if (r.status === 'declined') return h('span', { testid: 'my-request-answer' }, t('request.declined_because', { reason: r.reason || '' }));
  if (r.status === 'accepted') {
    return h('span', { testid: 'my-request-answer' }, t('request.accepted_next'), ' ',
      h('a', { href: '#/certificates/new', testid: 'my-request-register' }, t('request.register_now')));
  }
  return h('span', { testid: 'my-request-answer' }, t('request.waiting'));
}

/** The student's own requests, newest first, with the admin's answer. */
function myRequests() {
  const holder = h('div', { class: 'list-holder', testid: 'my-requests' }, t('common.loading'));
  async function load() {
    try {
      const rows = itemsOf(await api('/api/catalog/requests', { query: { limit: 100 } }));
      replace(holder, table({
        testid: 'my-requests-table', rows, empty: t('request.none'),
        rowAttrs: (r) => ({ testid: 'my-request-row', 'data-id': r.id, 'data-status': r.status || 'pending' }),
        columns: [
          { label: t('request.col_created'), render: (r) => formatDateTime(r.created_at) },
          { label: t('request.name'), render: (r) => [r.name, r.level_name ? ` · ${r.level_name}` : ''].join('') },
          { label: t('request.issuer'), render: (r) => r.issuer || '' },
          { label: t('request.col_status'), render: (r) => h('span', { class: ['badge', `req-${r.status || 'pending'}`], testid: 'my-request-status' }, codeLabel('request_status', r.status || 'pending', r.status)) },
          { label: t('request.col_answer'), render: answerText },
          { label: t('request.col_answered'), render: (r) => (r.answered_at ? formatDateTime(r.answered_at) : '') },
        ],
      }));
    } catch (err) {
      replace(holder, h('p', { class: 'error' }, err.message));
    }
  }
  load();
  return { el: h('section', { 'aria-labelledby': 'my-requests-heading' }, h('h2', { id: 'my-requests-heading' }, t('request.mine')), holder), load };
}

export function render(root) {
  const mine = myRequests();
  const message = messageRegion('form-message');
  const inputs = {
    name: h('input', { type: 'text', name: 'name', testid: 'req-name', required: true, maxlength: '200' }),
    issuer: h('input', { type: 'text', name: 'issuer', testid: 'req-issuer', required: true, maxlength: '200' }),
    level_name: h('input', { type: 'text', name: 'level_name', testid: 'req-level-name', maxlength: '100' }),
    note: h('textarea', { name: 'note', testid: 'req-note', rows: '3', maxlength: '1000' }),
  };
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'req-submit' }, t('request.submit'));
  const form = h('form', { class: 'form-grid', testid: 'req-form' },
    field(t('request.name'), inputs.name, { required: true }),
    field(t('request.issuer'), inputs.issuer, { required: true }),
    field(t('request.level_name'), inputs.level_name),
    field(t('request.note'), inputs.note, { hint: t('request.note_hint'), wide: true }),
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    const body = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
    submit.disabled = true;
    try {
      await api('/api/catalog/requests', { method: 'POST', json: body });
      form.reset();
      message.show(t('request.sent'), 'success');
      mine.load();
    } catch (err) {
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      submit.disabled = false;
    }
  });

  root.append(pageTitle(t('request.title')), h('p', { class: 'lead' }, t('request.intro')), message.el, form, mine.el);
}
