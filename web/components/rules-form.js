// Admin: the review rules of one academic year as a form (GET /api/review/rules,
// PUT /api/review/rules/{year}): the reporting window in months and the issue
// date it applies from, the image-similarity threshold, and per department the
// catalog entries its graduation threshold recognises (picked by search, by name).
// rulesForm(...).read() gives the PUT body (without academic_year) or throws.
import { h, uid } from '../dom.js';
import { t, pick } from '../i18n.js';
import { catalogPicker } from './catalog-picker.js';
import { deptControl } from './dept-control.js';
import { entryName } from './entry-names.js';

function labelled(label, control, hint) {
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label, h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), control, hintEl);
}

function deptRow(user, dept, keys, entries, onRemove) {
  const sel = deptControl(user, 'rules-dept');
  sel.setAttribute('aria-label', t('field.dept'));
  sel.options[0].remove(); // a threshold belongs to one department
  if (dept && ![...sel.options].some((o) => o.value === dept)) sel.appendChild(h('option', { value: dept }, dept));
  if (dept) sel.value = dept;
  const chips = h('ul', { class: 'chips', testid: 'rules-dept-entries' });
  const addChip = (key, name) => {
    if ([...chips.children].some((li) => li.dataset.key === key)) return;
    const li = h('li', { class: 'chip', testid: 'rules-dept-entry', 'data-key': key }, name, ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': t('tracks.remove_entry', { name }), onClick: () => li.remove() }, '×'));
    chips.appendChild(li);
  };
  keys.forEach((k) => addChip(k, entryName(entries, k)));
  const picker = catalogPicker({
    testid: 'rules-entry', label: t('rules_form.add_entry'),
    onSelect: (entry) => {
      if (!entry) return;
      addChip(entry.key, pick(entry.name, entry.name_en));
      picker.setEntry(null);
    },
  });
  const row = h('fieldset', { class: 'panel rules-dept', testid: 'rules-dept-row' }, h('legend', {}, t('rules_form.dept_threshold')),
    h('div', { class: 'field' }, h('label', { for: sel.id || (sel.id = uid('dept')) }, t('field.dept')), sel), chips, picker.el,
    h('button', { type: 'button', class: 'btn btn-small btn-danger', testid: 'rules-dept-remove', onClick: () => { row.remove(); onRemove(); } }, t('common.remove')));
  row.read = () => [sel.value, [...chips.children].map((li) => li.dataset.key)];
  return row;
}

/** rulesForm({user, config, entries: Map}) -> {el, read()} */
export function rulesForm({ user, config, entries }) {
  const months = h('input', { type: 'number', id: uid('months'), min: '1', max: '120', step: '1', required: true, value: String(config.reporting_window_months ?? 6), testid: 'rules-months' });
  const since = h('input', { type: 'date', id: uid('since'), required: true, value: config.window_applies_from || '', testid: 'rules-since' });
  const phash = h('input', { type: 'number', id: uid('phash'), min: '0', max: '32', step: '1', required: true, value: String(config.phash_threshold ?? 6), testid: 'rules-phash' });
  const rows = h('div', { class: 'rules-depts' });
  const add = (dept, keys) => rows.appendChild(deptRow(user, dept, keys, entries, () => {}));
  Object.entries(config.dept_thresholds || {}).forEach(([d, keys]) => add(d, keys));
  const el = h('div', { class: 'rules-form', testid: 'rules-editor' },
    h('div', { class: 'form-grid' },
      labelled(t('field.reporting_window_months'), months, t('rules_form.months_hint')),
      labelled(t('field.window_applies_from'), since, t('rules_form.since_hint')),
      labelled(t('field.phash_threshold'), phash, t('rules_form.phash_hint'))),
    h('h3', {}, t('field.dept_thresholds')), h('p', { class: 'hint' }, t('rules_form.depts_hint')), rows,
    h('button', { type: 'button', class: 'btn btn-small', testid: 'rules-dept-add', onClick: () => add('', []) }, t('rules_form.add_dept')));
  return {
    el,
    read() {
      const m = Number(months.value);
      const p = Number(phash.value);
      if (!Number.isInteger(m) || m < 1 || m > 120) throw new Error(t('rules_form.bad_months'));
      if (!since.value) throw new Error(t('rules_form.bad_since'));
      if (!Number.isInteger(p) || p < 0 || p > 32) throw new Error(t('rules_form.bad_phash'));
      const thresholds = {};
      for (const row of rows.children) {
        const [dept, keys] = row.read();
        if (thresholds[dept]) throw new Error(t('rules_form.dept_twice'));
        thresholds[dept] = keys;
      }
      return { reporting_window_months: m, window_applies_from: since.value, phash_threshold: p, dept_thresholds: thresholds };
    },
  };
}
