// Admin: graduation threshold rule sets per department and entry cohort (入學學年)
// as a form: rules that must all be met, each with alternatives (any one meets it)
// asking for N passed certificates of a category / entries / IT / CEFR at least.
// GET /api/review/thresholds?dept= and PUT /api/review/thresholds/{dept}/{cohort}
// {"rules": [{name, name_en, any_of: [{count, category, entries, it_certificate, min_cefr}]}]}.
// The department is a select of the registry, the category a select of names, and the entries
// (catalog keys) are picked by catalog search and shown by name.
import { deptControl } from '../components/dept-control.js';
import { deptLabel } from '../components/departments.js';
import { h, replace, field, select, messageRegion, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { currentAcademicYear } from '../format.js';
import { t } from '../i18n.js';
import { loadCategories, categoryOptions } from '../components/categories.js';
import { entryChips } from '../components/entry-chips.js';
import { entriesByKey } from '../components/entry-names.js';

const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/** One alternative from the form's values ('' = no condition; entries: the picked entries' keys). */
export function alternativeOf(values) {
  return {
    count: Math.max(1, Number(values.count) || 1),
    category: values.category === '' ? null : Number(values.category),
    entries: [...new Set(values.entries || [])],
    it_certificate: values.it === '' ? null : values.it === 'yes',
    min_cefr: values.min_cefr || null,
  };
}

function alternativeRow(alt, categories, entries) {
  const count = h('input', { type: 'number', min: 1, max: 20, name: 'count', value: alt.count ?? 1, testid: 'alt-count' });
  const category = select({ name: 'category', testid: 'alt-category', value: alt.category ?? '' }, categoryOptions(categories), { empty: t('thr.any') });
  const it = select({ name: 'it', testid: 'alt-it', value: alt.it_certificate == null ? '' : (alt.it_certificate ? 'yes' : 'no') },
    [{ value: 'yes', label: t('thr.it_yes') }, { value: 'no', label: t('thr.it_no') }], { empty: t('thr.any') });
  const cefr = select({ name: 'min_cefr', testid: 'alt-cefr', value: alt.min_cefr ?? '' }, CEFR.map((c) => ({ value: c, label: `≥ ${c}` })), { empty: t('thr.any') });
  const chosen = entryChips({ keys: alt.entries || [], entries, testid: 'alt-entry', pickerTestid: 'alt-entry-pick', label: t('thr.entries_add') });
  const row = h('div', { class: 'form-grid threshold-alt', testid: 'alt-row' },
    field(t('thr.count'), count), field(t('thr.category'), category), field(t('thr.it'), it),
    field(t('thr.cefr'), cefr),
    h('fieldset', { class: 'field-wide' }, h('legend', {}, t('thr.entries')), h('p', { class: 'hint' }, t('thr.entries_hint')), chosen.chips, chosen.picker.el),
    h('div', { class: 'form-actions field-wide' },
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'alt-remove', onClick: () => row.remove() }, t('thr.remove_alt'))));
  row.entryKeys = chosen.keys;
  return row;
}

function ruleBlock(rule, categories, entries = new Map()) {
  const name = h('input', { type: 'text', name: 'name', value: rule.name || '', required: true, maxlength: 100, testid: 'rule-name' });
  const nameEn = h('input', { type: 'text', name: 'name_en', value: rule.name_en || '', required: true, maxlength: 200, testid: 'rule-name-en' });
  const alts = h('div', { class: 'threshold-alts' }, (rule.any_of?.length ? rule.any_of : [{}]).map((a) => alternativeRow(a, categories, entries)));
  const block = h('fieldset', { class: 'threshold-rule-edit', testid: 'rule-block' },
    h('legend', {}, t('thr.rule')),
    h('div', { class: 'form-grid' }, field(t('thr.rule_name'), name, { required: true }), field(t('thr.rule_name_en'), nameEn, { required: true })),
    h('p', { class: 'hint' }, t('thr.any_of_hint')), alts,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', testid: 'alt-add', onClick: () => alts.append(alternativeRow({}, categories, entries)) }, t('thr.add_alt')),
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'rule-remove', onClick: () => block.remove() }, t('thr.remove_rule'))));
  return block;
}

function readRules(list) {
  return [...list.querySelectorAll('[data-testid=rule-block]')].map((block) => ({
    name: block.querySelector('[name=name]').value.trim(),
    name_en: block.querySelector('[name=name_en]').value.trim(),
    any_of: [...block.querySelectorAll('[data-testid=alt-row]')].map((row) => alternativeOf({
      count: row.querySelector('[name=count]').value, category: row.querySelector('[name=category]').value,
      entries: row.entryKeys(), it: row.querySelector('[name=it]').value,
      min_cefr: row.querySelector('[name=min_cefr]').value,
    })),
  }));
}

export function render(root, ctx) {
  const message = messageRegion('thr-message');
  let categories = [];
  const dept = deptControl(ctx.user, 'thr-dept', { withAll: false });
  dept.required = true;
  // the set shown is kept in the address, so that switching the language (which redraws) keeps it
  const asked = ctx.query?.get('dept');
  if (asked && [...dept.options].some((o) => o.value === asked)) dept.value = asked;
  const cohort = h('input', { type: 'number', name: 'cohort', min: 50, max: 300, value: ctx.query?.get('cohort') || currentAcademicYear() - 3, testid: 'thr-cohort' });
  const list = h('div', { class: 'threshold-rules-edit', testid: 'thr-rules' });
  const existing = h('ul', { class: 'hint-list', testid: 'thr-existing' });
  const load = h('button', { type: 'button', class: 'btn', testid: 'thr-load' }, t('thr.load'));
  const addRule = h('button', { type: 'button', class: 'btn', testid: 'rule-add' }, t('thr.add_rule'));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'thr-save' }, t('common.save'));
  const form = h('form', { testid: 'thr-form' },
    h('div', { class: 'form-grid' }, field(t('thr.dept'), dept, { required: true }), field(t('thr.cohort'), cohort, { hint: t('thr.cohort_hint') }),
      h('div', { class: 'form-actions' }, load)),
    existing, list, h('div', { class: 'form-actions' }, addRule, save));

  let shown = 0; // only the newest load may redraw the rules (an older answer must not wipe what is typed)
  async function show() {
    const ticket = ++shown;
    message.clear();
    try {
      categories = await loadCategories();
      const sets = (await api('/api/review/thresholds', { query: { dept: dept.value } })).thresholds;
      if (ticket !== shown) return;
      replace(existing, sets.map((s) => h('li', {}, t('thr.existing', { dept: deptLabel(s.dept), cohort: s.cohort, n: s.rules.length }), ' ',
        h('button', {
          type: 'button', class: 'btn btn-small', testid: 'thr-open',
          onClick: () => { cohort.value = s.cohort; show(); },
        }, t('thr.open_existing', { cohort: s.cohort })))));
      const mine = sets.find((s) => String(s.cohort) === String(cohort.value));
      const rules = mine ? mine.rules : [{ any_of: [{}] }];
      const keys = rules.flatMap((r) => (r.any_of || []).flatMap((a) => a.entries || []));
      const entries = await entriesByKey(keys).catch(() => new Map());
      if (ticket !== shown) return;
      replace(list, rules.map((r) => ruleBlock(r, categories, entries)));
      list.dataset.loaded = `${dept.value}/${cohort.value}`;
      history.replaceState(null, '', `#/admin/thresholds?${new URLSearchParams({ dept: dept.value, cohort: cohort.value })}`);
    } catch (err) {
      message.show(err.message, 'error');
    }
  }
  load.addEventListener('click', show);
  dept.addEventListener('change', show);
  addRule.addEventListener('click', () => list.append(ruleBlock({ any_of: [{}] }, categories)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await api(`/api/review/thresholds/${encodeURIComponent(dept.value)}/${encodeURIComponent(cohort.value)}`,
        { method: 'PUT', json: { rules: readRules(list) } });
      await show();
      message.show(t('thr.saved', { dept: deptLabel(dept.value), cohort: cohort.value }), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    } finally {
      save.disabled = false;
    }
  });
  root.append(pageTitle(t('thr.title')), h('p', { class: 'lead' }, t('thr.intro')), message.el, form);
  show();
}
