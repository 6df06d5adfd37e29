// Admin: the form of one reward standard (獎勵標準) for POST
// /api/rewards/standards and PATCH /api/rewards/standards/{id} (JSON):
// {academic_year, scope ("school" or a department code), level, item, name,
//  amount, required_count, qualifying: [{certificate_key, levels: [level name] | null}]}
import { h, replace, field, select, messageRegion, showFieldErrors, clearFieldErrors } from '../dom.js';
import { api } from '../api.js';
import { t, pick } from '../i18n.js';
import { academicYearOptions } from '../format.js';
import { catalogPicker } from './catalog-picker.js';
import { deptControl } from './dept-control.js';
import { entryName } from './entry-names.js';

/** A qualifying certificate by name (entries: Map key → catalog entry) and its levels. */
export function qualifyingText(q, entries = new Map()) {
  return [q.entry_name || entryName(entries, q.certificate_key), q.levels?.length ? q.levels.join('／') : t('standards.any_level')].join(' · ');
}

/** The scope as a select: the whole school first, then the departments. */
function scopeSelect(user, value) {
  const el = deptControl(user, 'standard-form-scope');
  el.name = 'scope';
  el.options[0].value = 'school';
  el.options[0].textContent = t('standards.scope_school');
  if (value && ![...el.options].some((o) => o.value === value)) el.appendChild(h('option', { value }, value));
  el.value = value || 'school';
  return el;
}

function qualifyingItem(q, onRemove) {
  const li = h('li', { class: 'chip', testid: 'standard-qualifying', 'data-key': q.certificate_key },
    qualifyingText(q), ' ',
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'standard-qualifying-remove', 'aria-label': t('common.remove'), onClick: () => onRemove(li) }, '×'));
  li.qualifying = { certificate_key: q.certificate_key, levels: q.levels?.length ? q.levels : null }; // not .value: <li> has a numeric one
  return li;
}

export function standardForm({ standard, year, user, entries = new Map(), onSaved, onCancel }) {
  const s = standard || { academic_year: year, scope: 'school', level: 1, required_count: 1, qualifying: [] };
  const message = messageRegion('standard-form-message');
  const inputs = {
    academic_year: select({ name: 'academic_year', testid: 'standard-form-year', value: s.academic_year }, academicYearOptions(8)),
    scope: scopeSelect(user, s.scope),
    level: select({ name: 'level', testid: 'standard-form-level', value: s.level }, [1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('standards.level_n', { n }) }))),
    item: h('input', { type: 'number', name: 'item', min: '1', testid: 'standard-form-item', value: s.item ?? '', required: true }),
    name: h('input', { type: 'text', name: 'name', testid: 'standard-form-name', value: s.name || '', required: true }),
    amount: h('input', { type: 'number', name: 'amount', min: '0', step: '1', testid: 'standard-form-amount', value: s.amount ?? '', required: true }),
    required_count: h('input', { type: 'number', name: 'required_count', min: '1', testid: 'standard-form-required', value: s.required_count ?? 1, required: true }),
  };
  const qualifying = h('ul', { class: 'chips', testid: 'standard-qualifying-list' });
  const remove = (li) => li.remove();
  (s.qualifying || []).forEach((q) => qualifying.appendChild(qualifyingItem({ ...q, entry_name: q.entry_name || entryName(entries, q.certificate_key) }, remove)));
  const levelSel = select({ testid: 'standard-form-entry-level', 'aria-label': t('cert.level') }, [], { empty: t('standards.any_level') });
  const picker = catalogPicker({
    testid: 'standard-entry', label: t('standards.qualifying'),
    onSelect: (entry) => {
      replace(levelSel, h('option', { value: '' }, t('standards.any_level')));
      (entry?.levels || []).forEach((l) => levelSel.appendChild(h('option', { value: l.id }, pick(l.name, l.name_en))));
    },
  });
  const addEntry = h('button', { type: 'button', class: 'btn btn-small', testid: 'standard-qualifying-add' }, t('standards.add_entry'));
  addEntry.addEventListener('click', () => {
    const entry = picker.entry();
    if (!entry) return;
    const level = (entry.levels || []).find((l) => String(l.id) === levelSel.value);
    qualifying.appendChild(qualifyingItem({ certificate_key: entry.key || String(entry.id), entry_name: pick(entry.name, entry.name_en), levels: level ? [level.name] : null }, remove));
    picker.setEntry(null);
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'standard-save' }, t('common.save'));

  const form = h('form', { class: 'form-grid panel', testid: 'standard-form' },
    h('h2', { class: 'field-wide' }, standard ? t('standards.edit', { label: standard.label || standard.name }) : t('standards.new')),
    message.el,
    field(t('query.year'), inputs.academic_year),
    field(t('standards.scope'), inputs.scope, { required: true }),
    field(t('standards.level'), inputs.level),
    field(t('standards.item_no'), inputs.item, { required: true }),
    field(t('standards.name'), inputs.name, { required: true }),
    field(t('standards.amount'), inputs.amount, { required: true, hint: 'NT$' }),
    field(t('standards.required_count'), inputs.required_count, { required: true }),
    h('fieldset', { class: 'field-wide' }, h('legend', {}, t('standards.qualifying')), qualifying, picker.el,
      h('div', { class: 'inline-form' }, levelSel, addEntry)),
    h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost', testid: 'standard-cancel', onClick: onCancel }, t('common.cancel'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    const body = {
      academic_year: Number(inputs.academic_year.value),
      scope: inputs.scope.value,
      level: Number(inputs.level.value),
      item: Number(inputs.item.value),
      name: inputs.name.value.trim(),
      amount: Number(inputs.amount.value),
      required_count: Number(inputs.required_count.value),
      qualifying: [...qualifying.children].map((li) => li.qualifying),
    };
    save.disabled = true;
    try {
      const saved = standard
        ? await api(`/api/rewards/standards/${encodeURIComponent(standard.id)}`, { method: 'PATCH', json: body })
        : await api('/api/rewards/standards', { method: 'POST', json: body });
      onSaved(saved || body);
    } catch (err) {
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
