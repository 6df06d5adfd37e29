// Admin: the department registry (GET /api/certificates/departments?all=1,
// PUT /api/certificates/departments/{code} {name, name_en, active}). Every
// department filter, list and export names departments from it.
import { h, field, replace, table, messageRegion, showFieldErrors, clearFieldErrors, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { departmentsChanged } from '../components/departments.js';

export function render(root) {
  const message = messageRegion('departments-message');
  const holder = h('div', { class: 'list-holder' });
  const formHolder = h('div', {});
  const add = h('button', { type: 'button', class: 'btn btn-primary', testid: 'dept-new' }, t('depts.new'));
  let all = [];

  async function refresh() {
    try {
      all = itemsOf(await api('/api/certificates/departments', { query: { all: 1 } }));
      departmentsChanged(all);
      replace(holder, table({
        testid: 'dept-table', rows: all, empty: t('depts.empty'),
        rowAttrs: (d) => ({ testid: 'dept-row', 'data-code': d.code, class: d.active ? null : 'muted' }),
        columns: [
          { label: t('depts.col_code'), render: (d) => h('code', {}, d.code) },
          { label: t('depts.col_name'), render: (d) => d.name },
          { label: t('depts.col_name_en'), render: (d) => d.name_en || '' },
          { label: t('depts.col_state'), render: (d) => (d.active ? t('depts.active') : t('depts.inactive')) },
          { label: t('common.actions'), render: (d) => h('button', { type: 'button', class: 'btn', testid: 'dept-edit', onclick: () => edit(d) }, t('depts.edit')) },
        ],
      }));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  function edit(dept) {
    const isNew = !dept;
    const code = h('input', { type: 'text', name: 'code', testid: 'dept-form-code', required: true, maxlength: '20',
      pattern: '[A-Za-z][A-Za-z0-9_\\-]{0,19}', value: dept?.code || '', readonly: isNew ? null : true, autocapitalize: 'characters' });
    const name = h('input', { type: 'text', name: 'name', testid: 'dept-form-name', required: true, maxlength: '100', value: dept?.name || '' });
    const nameEn = h('input', { type: 'text', name: 'name_en', testid: 'dept-form-name-en', maxlength: '200', value: dept?.name_en || '' });
    const active = h('input', { type: 'checkbox', name: 'active', testid: 'dept-form-active', checked: dept ? dept.active : true });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'dept-save' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn', testid: 'dept-cancel', onclick: () => replace(formHolder) }, t('common.cancel'));
    const form = h('form', { class: 'form-grid', testid: 'dept-form' },
      h('h2', { class: 'wide' }, isNew ? t('depts.new') : t('depts.editing', { name: pick(dept.name, dept.name_en) })),
      field(t('depts.code'), code, { required: true, hint: t('depts.code_hint') }),
      field(t('depts.name'), name, { required: true }),
      field(t('depts.name_en'), nameEn),
      h('label', { class: 'check' }, active, ' ', t('depts.active_label')),
      h('div', { class: 'form-actions' }, save, cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.clear();
      clearFieldErrors(form);
      save.disabled = true;
      try {
        const saved = await api(`/api/certificates/departments/${encodeURIComponent(code.value.trim().toUpperCase())}`, {
          method: 'PUT', json: { name: name.value, name_en: nameEn.value || null, active: active.checked },
        });
        replace(formHolder);
        await refresh();
        message.show(t('depts.saved', { name: pick(saved.name, saved.name_en) }), 'success');
      } catch (err) {
        showFieldErrors(form, err.fields);
        message.show(err.message, 'error');
      } finally {
        save.disabled = false;
      }
    });
    replace(formHolder, form);
    (isNew ? code : name).focus();
  }

  add.addEventListener('click', () => edit(null));
  root.append(pageTitle(t('depts.title')), h('p', { class: 'lead' }, t('depts.intro')), message.el,
    h('div', { class: 'toolbar' }, add), formHolder, holder);
  refresh();
}
