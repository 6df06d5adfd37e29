// Admin: the reward rules of an academic year (獎勵要點) — a cap per student, a budget pool whose
// overflow waits (候補) in the year's ranking, exclusions by flag and the returned-transfer fee —
// with a what-if preview of the unsaved form (GET /api/rewards/rules/{year}/preview?…) before saving
// (PUT /api/rewards/rules/{year}).
import { h, replace, field, select, table, messageRegion, showFieldErrors, clearFieldErrors, busy, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t, pick } from '../i18n.js';
import { academicYearOptions, academicYearLabel, currentAcademicYear, formatMoney, studentLabel } from '../format.js';

const label = (item) => pick(item.label, item.label_en);

function money(name, testid) {
  return h('input', { type: 'number', name, testid, min: '0', step: '1', inputmode: 'numeric' });
}

function amountOrNull(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

function claimsTable(rows, testid, extra) {
  return table({
    testid, rows, empty: t('rules.none'),
    rowAttrs: (r) => ({ testid: `${testid}-row`, 'data-id': r.application_id }),
    columns: [
      ...(extra ? [extra] : []),
      { label: t('app.col_student'), render: studentLabel },
      { label: t('app.col_standard'), render: (r) => r.label },
      { label: t('app.col_amount'), render: (r) => formatMoney(r.amount) },
    ],
  });
}

export function render(root) {
  const message = messageRegion('rules-message');
  const year = select({ name: 'year', testid: 'rules-year', value: currentAcademicYear() }, academicYearOptions(4));
  const cap = money('cap_per_student', 'rules-cap');
  const budget = money('budget', 'rules-budget');
  const fee = money('return_fee', 'rules-fee');
  const ranking = select({ name: 'ranking', testid: 'rules-ranking' }, []);
  const exclusions = h('fieldset', { class: 'field field-wide checkbox-row', testid: 'rules-exclusions' });
  const previewBox = h('section', { class: 'list-holder', testid: 'rules-preview', 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'button', class: 'btn', testid: 'rules-preview-run' }, t('rules.preview'));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'rules-save' }, t('common.save'));

  function values() {
    return {
      cap_per_student: amountOrNull(cap), budget: amountOrNull(budget), ranking: ranking.value,
      exclusions: [...exclusions.querySelectorAll('input:checked')].map((c) => c.value),
      return_fee: amountOrNull(fee) ?? 0,
    };
  }

  function fill(rules) {
    cap.value = rules.cap_per_student ?? '';
    budget.value = rules.budget ?? '';
    fee.value = rules.return_fee || '';
    replace(ranking, ...rules.rankings.map((r) => h('option', { value: r.ranking }, label(r))));
    ranking.value = rules.ranking;
    replace(exclusions, h('legend', {}, t('rules.exclusions')),
      ...rules.flags.map((f) => h('label', { class: 'checkbox' },
        h('input', { type: 'checkbox', value: f.flag, testid: `rules-exclude-${f.flag}`, checked: rules.exclusions.includes(f.flag) }),
        ` ${label(f)}`)),
      h('p', { class: 'hint' }, t('rules.exclusions_hint')));
  }

  function showPreview(p) {
    replace(previewBox,
      h('h2', {}, t('rules.preview_title', { year: academicYearLabel(p.academic_year) })),
      h('dl', { class: 'summary', testid: 'rules-preview-summary' },
        h('dt', {}, t('rules.total')), h('dd', { testid: 'rules-preview-total' }, formatMoney(p.total)),
        h('dt', {}, t('rules.count')), h('dd', { testid: 'rules-preview-count' }, String(p.count)),
        h('dt', {}, t('rules.funded')), h('dd', { testid: 'rules-preview-funded' }, formatMoney(p.funded_total))),
      h('h3', {}, t('rules.over_cap', { n: p.over_cap.length })),
      claimsTable(p.over_cap, 'rules-over-cap', null),
      h('h3', {}, t('rules.waiting', { n: p.waiting.length })),
      claimsTable(p.waiting, 'rules-waiting', { label: t('rules.rank'), render: (r) => String(r.rank) }));
  }

  async function load() {
    message.clear();
    try {
      fill(await api(`/api/rewards/rules/${encodeURIComponent(year.value)}`));
      replace(previewBox);
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  previewButton.addEventListener('click', () => busy(previewButton, async () => {
    message.clear();
    const v = values();
    // every value of the form is sent, an empty one too (no cap, no budget, no exclusion)
    const query = new URLSearchParams({ ranking: v.ranking, cap_per_student: v.cap_per_student ?? '',
      budget: v.budget ?? '', exclusions: v.exclusions.join(',') });
    try {
      showPreview(await api(`/api/rewards/rules/${encodeURIComponent(year.value)}/preview?${query}`));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  const form = h('form', { class: 'form-grid', testid: 'rules-form' },
    field(t('query.year'), year),
    field(t('rules.cap'), cap, { hint: t('rules.cap_hint') }),
    field(t('rules.budget'), budget, { hint: t('rules.budget_hint') }),
    field(t('rules.ranking'), ranking, { hint: t('rules.ranking_hint') }),
    field(t('rules.fee'), fee, { hint: t('rules.fee_hint') }),
    exclusions,
    h('div', { class: 'form-actions' }, previewButton, save));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    busy(save, async () => {
      message.clear();
      try {
        const saved = await api(`/api/rewards/rules/${encodeURIComponent(year.value)}`, { method: 'PUT', json: values() });
        fill(saved);
        message.show(t('rules.saved', { year: academicYearLabel(year.value), n: saved.promoted.length }), 'success');
      } catch (err) {
        showFieldErrors(form, err.fields);
        message.show(err.message, 'error');
      }
    });
  });
  year.addEventListener('change', load);

  root.append(pageTitle(t('rules.title')), h('p', { class: 'lead' }, t('rules.intro')), message.el, form, previewBox);
  load();
}
