// Admin: reward standards of an academic year (GET /api/rewards/standards?year=,
// POST, PATCH, DELETE /api/rewards/standards/{id}).
import { h, replace, field, select, table, messageRegion, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, codeLabel } from '../i18n.js';
import { academicYearOptions, academicYearLabel, currentAcademicYear, formatMoney } from '../format.js';
import { confirmButton } from '../components/confirm-button.js';
import { standardForm, qualifyingText } from '../components/standard-form.js';
import { entriesByKey } from '../components/entry-names.js';

export function render(root, ctx) {
  let entries = new Map();
  const message = messageRegion('standards-message');
  const formHolder = h('div', { class: 'form-holder' });
  const holder = h('div', { class: 'list-holder' });
  const year = select({ name: 'year', testid: 'standards-year', value: currentAcademicYear() }, academicYearOptions(8));

  function openForm(standard) {
    replace(formHolder, standardForm({
      standard, year: Number(year.value), user: ctx.user, entries,
      onSaved: () => {
        replace(formHolder);
        message.show(t('standards.saved'), 'success');
        load();
      },
      onCancel: () => replace(formHolder),
    }));
    formHolder.querySelector('select, input')?.focus();
  }

  function actions(s) {
    return h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-small', testid: 'standard-edit', onClick: () => openForm(s) }, t('common.edit')),
      confirmButton({
        label: t('common.delete'), question: t('standards.delete_question'), testid: 'standard-delete', className: 'btn btn-small btn-danger',
        onConfirm: async () => {
          try {
            await api(`/api/rewards/standards/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
            message.show(t('standards.deleted'), 'success');
            load();
          } catch (err) {
            message.show(err.message, 'error');
          }
        },
      }));
  }

  async function load() {
    try {
      const rows = itemsOf(await api('/api/rewards/standards', { query: { year: year.value } }));
      entries = await entriesByKey(rows.flatMap((s) => (s.qualifying || []).map((q) => q.certificate_key))).catch(() => new Map());
      replace(holder, table({
        testid: 'standards-table', rows, empty: t('standards.none'),
        caption: academicYearLabel(year.value),
        rowAttrs: (s) => ({ testid: 'standard-row', 'data-id': s.id }),
        columns: [
          { label: t('standards.label'), render: (s) => s.label || s.name },
          { label: t('standards.scope'), render: (s) => (s.scope === 'school' ? t('standards.scope_school') : codeLabel('dept', s.scope, s.scope)) },
          { label: t('standards.level'), render: (s) => String(s.level ?? '') },
          { label: t('standards.item_no'), render: (s) => String(s.item ?? '') },
          { label: t('standards.amount'), render: (s) => formatMoney(s.amount) },
          { label: t('standards.required_count'), render: (s) => String(s.required_count ?? '') },
          { label: t('standards.qualifying'), render: (s) => (s.qualifying || []).map((q) => qualifyingText(q, entries)).join('、') },
          { label: t('common.actions'), render: actions },
        ],
      }));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  year.addEventListener('change', load);
  root.append(
    pageTitle(t('standards.title'),
      h('button', { type: 'button', class: 'btn btn-primary', testid: 'standard-new', onClick: () => openForm(null) }, t('standards.new'))),
    h('div', { class: 'filters' }, field(t('query.year'), year)), message.el, formHolder, holder);
  load();
}
