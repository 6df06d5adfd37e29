// Admin: the form of one catalog entry with its levels, for
// POST /api/catalog and PATCH /api/catalog/{id} (JSON).
import { h, field, select, messageRegion, showFieldErrors, clearFieldErrors, uid } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { categoryOptions } from './categories.js';
import { validityField } from './validity-field.js';

const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

function levelRow(level = {}, onRemove) {
  const name = h('input', { type: 'text', value: level.name || '', testid: 'catalog-level-name', required: true, 'aria-label': t('catalog.level_name') });
  const nameEn = h('input', { type: 'text', value: level.name_en || '', testid: 'catalog-level-name-en', 'aria-label': t('catalog.level_name_en') });
  const cefr = select({ testid: 'catalog-level-cefr', 'aria-label': 'CEFR', value: level.cefr || '' },
    CEFR.map((c) => ({ value: c, label: c })), { empty: '—' });
  const minScore = h('input', { type: 'number', min: '0', step: 'any', value: level.min_score ?? '', testid: 'catalog-level-min-score', 'aria-label': t('catalog.level_min_score') });
  const maxScore = h('input', { type: 'number', min: '0', step: 'any', value: level.max_score ?? '', testid: 'catalog-level-max-score', 'aria-label': t('catalog.level_max_score') });
  const row = h('li', { class: 'level-row', testid: 'catalog-level', 'data-id': level.id ?? '' }, name, nameEn, cefr, minScore, maxScore,
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'catalog-level-remove', onClick: () => onRemove(row) }, t('common.remove')));
  row.read = () => ({
    ...(level.id !== undefined ? { id: level.id } : {}),
    name: name.value.trim(),
    name_en: nameEn.value.trim() || null,
    cefr: cefr.value || null,
    min_score: minScore.value === '' ? null : minScore.value,
    max_score: maxScore.value === '' ? null : maxScore.value,
  });
  return row;
}

/** catalogEntryForm({entry|null, categories, onSaved(entry)}) -> element */
export function catalogEntryForm({ entry, categories, onSaved, onCancel }) {
  const e = entry || { active: true, foreign: false, levels: [] };
  const message = messageRegion('catalog-form-message');
  const key = h('input', { type: 'text', name: 'key', testid: 'catalog-form-key', pattern: '[a-z0-9._\\-]+', maxlength: '80', value: e.key || '', readonly: Boolean(entry) });
  const inputs = {
    name: h('input', { type: 'text', name: 'name', testid: 'catalog-form-name', required: true, value: e.name || '' }),
    name_en: h('input', { type: 'text', name: 'name_en', testid: 'catalog-form-name-en', value: e.name_en || '' }),
    issuer: h('input', { type: 'text', name: 'issuer', testid: 'catalog-form-issuer', required: true, value: e.issuer || '' }),
    category: select({ name: 'category', testid: 'catalog-form-category', required: true, value: e.category ?? '' }, categoryOptions(categories), { empty: '' }),
    national_code: h('input', { type: 'text', name: 'national_code', testid: 'catalog-form-national-code', value: e.national_code || '' }),
    bundle: h('input', { type: 'text', name: 'bundle', testid: 'catalog-form-bundle', value: e.bundle || '', placeholder: 'TQC / MOS / BAP' }),
  };
  const foreign = select({ name: 'foreign', testid: 'catalog-form-foreign', value: e.foreign ? 'true' : 'false' },
    [{ value: 'false', label: t('catalog.domestic') }, { value: 'true', label: t('catalog.foreign') }]);
  const checks = {
    it_certificate: h('input', { type: 'checkbox', id: uid('chk'), name: 'it_certificate', testid: 'catalog-form-it', checked: e.it_certificate }),
    active: h('input', { type: 'checkbox', id: uid('chk'), name: 'active', testid: 'catalog-form-active', checked: e.active !== false }),
  };
  const validity = validityField(e.validity);
  const aliases = h('input', { type: 'text', name: 'aliases', testid: 'catalog-form-aliases', value: (e.aliases || []).join(', '), maxlength: '1000' });
  const levels = h('ol', { class: 'level-list', testid: 'catalog-levels' });
  const remove = (row) => row.remove();
  (e.levels || []).forEach((l) => levels.appendChild(levelRow(l, remove)));
  const addLevel = h('button', { type: 'button', class: 'btn btn-small', testid: 'catalog-level-add', onClick: () => levels.appendChild(levelRow({}, remove)) }, t('catalog.add_level'));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'catalog-save' }, t('common.save'));

  const form = h('form', { class: 'form-grid panel', testid: 'catalog-form' },
    h('h2', { class: 'field-wide' }, entry ? t('catalog.edit_entry', { name: e.name }) : t('catalog.new_entry')),
    message.el,
    field(t('catalog.name'), inputs.name, { required: true }),
    field(t('catalog.name_en'), inputs.name_en),
    field(t('catalog.issuer'), inputs.issuer, { required: true }),
    field(t('cert.category'), inputs.category, { required: true }),
    field(t('catalog.domestic_foreign'), foreign),
    field(t('catalog.key'), key, { hint: t('catalog.key_hint') }),
    field(t('catalog.national_code'), inputs.national_code),
    field(t('catalog.bundle'), inputs.bundle, { hint: t('catalog.bundle_hint') }),
    field(t('catalog.aliases'), aliases, { hint: t('catalog.aliases_hint') }),
    validity.el,
    h('div', { class: 'field checks' },
      h('span', { class: 'check' }, checks.it_certificate, h('label', { for: checks.it_certificate.id }, t('catalog.it_certificate'))),
      h('span', { class: 'check' }, checks.active, h('label', { for: checks.active.id }, t('catalog.active')))),
    h('fieldset', { class: 'field-wide' }, h('legend', {}, t('catalog.levels')),
      h('p', { class: 'hint' }, t('catalog.levels_hint')), levels, addLevel),
    h('div', { class: 'form-actions' }, save,
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'catalog-cancel', onClick: onCancel }, t('common.cancel'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    const body = {
      ...Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim() || null])),
      category: categories.find((c) => String(c.code) === inputs.category.value)?.code ?? inputs.category.value,
      foreign: foreign.value === 'true',
      ...(entry || !key.value.trim() ? {} : { key: key.value.trim() }),
      it_certificate: checks.it_certificate.checked,
      active: checks.active.checked,
      levels: [...levels.children].map((row) => row.read()),
      validity: validity.read(),
      aliases: aliases.value.split(/[,，、;；|]/).map((a) => a.trim()).filter(Boolean),
    };
    save.disabled = true;
    try {
      const saved = entry
        ? await api(`/api/catalog/${encodeURIComponent(entry.id)}`, { method: 'PATCH', json: body })
        : await api('/api/catalog', { method: 'POST', json: body });
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
