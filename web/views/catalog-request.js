// Student: ask for a missing catalog entry (POST /api/catalog/requests)
// instead of phoning the office.
import { h, field, messageRegion, showFieldErrors, clearFieldErrors, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

export function render(root) {
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
    } catch (err) {
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      submit.disabled = false;
    }
  });

  root.append(pageTitle(t('request.title')), h('p', { class: 'lead' }, t('request.intro')), message.el, form);
}
