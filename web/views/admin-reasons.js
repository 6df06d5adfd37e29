// Admin: the bilingual list of rejection reasons reviewers pick from, each with
// the fix instruction the student is shown (GET/PUT /api/review/reasons
// {"reasons": [{code, label, label_en, instruction, instruction_en, active}]}).
// A code is never deleted: unticking 使用中 retires it (old rejections keep it).
import { h, replace, field, messageRegion, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

const TEXTS = [['label', 'reasons.label', 100], ['label_en', 'reasons.label_en', 200],
  ['instruction', 'reasons.instruction', 2000], ['instruction_en', 'reasons.instruction_en', 2000]];

/** The PUT body from the editor's values, in the order shown. */
export function reasonsBody(items) {
  return { reasons: items.map((r) => ({
    code: r.code.trim(), label: r.label.trim(), label_en: r.label_en.trim(),
    instruction: r.instruction.trim(), instruction_en: r.instruction_en.trim(), active: Boolean(r.active),
  })) };
}

function reasonFieldset(reason, index, onRemove) {
  const code = h('input', { type: 'text', name: 'code', value: reason.code, required: true, maxlength: 40, pattern: '[a-z0-9][a-z0-9_\\-]*',
    testid: 'reason-code', readonly: reason.saved ? true : null });
  const inputs = TEXTS.map(([key, label, max]) => field(t(label),
    max > 200
      ? h('textarea', { name: key, maxlength: max, required: true, rows: 2, testid: `reason-${key.replace('_', '-')}` }, reason[key] || '')
      : h('input', { type: 'text', name: key, value: reason[key] || '', maxlength: max, required: true, testid: `reason-${key.replace('_', '-')}` }),
    { required: true }));
  const active = h('input', { type: 'checkbox', name: 'active', checked: reason.active !== false, testid: 'reason-active' });
  const remove = reason.saved ? null
    : h('button', { type: 'button', class: 'btn btn-ghost', testid: 'reason-remove', onClick: onRemove }, t('reasons.remove'));
  return h('fieldset', { class: 'form-grid reason', testid: 'reason-row', 'data-code': reason.code || null },
    h('legend', {}, t('reasons.legend', { n: index + 1 })),
    field(t('reasons.code'), code, { hint: t('reasons.code_hint'), required: true }), ...inputs,
    h('label', { class: 'check' }, active, ' ', t('reasons.active')), remove);
}

function readRow(fieldset) {
  const value = (name) => fieldset.querySelector(`[name=${name}]`).value;
  return { code: value('code'), label: value('label'), label_en: value('label_en'), instruction: value('instruction'),
    instruction_en: value('instruction_en'), active: fieldset.querySelector('[name=active]').checked };
}

export function render(root) {
  const message = messageRegion('reasons-message');
  const list = h('div', { class: 'reasons-list' });
  const add = h('button', { type: 'button', class: 'btn', testid: 'reason-add' }, t('reasons.add'));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'reasons-save' }, t('common.save'));
  const form = h('form', { testid: 'reasons-form' }, list, h('div', { class: 'form-actions' }, add, save));
  let reasons = [];

  function draw() {
    replace(list, reasons.map((r, i) => reasonFieldset(r, i, () => {
      reasons = [...list.querySelectorAll('fieldset')].map(readRow).map((x, j) => ({ ...x, saved: reasons[j].saved }));
      reasons.splice(i, 1);
      draw();
    })));
  }

  async function load() {
    try {
      reasons = (await api('/api/review/reasons')).reasons.map((r) => ({ ...r, saved: true }));
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  add.addEventListener('click', () => {
    reasons = [...list.querySelectorAll('fieldset')].map(readRow).map((x, j) => ({ ...x, saved: reasons[j].saved }));
    reasons.push({ code: '', label: '', label_en: '', instruction: '', instruction_en: '', active: true, saved: false });
    draw();
    list.lastElementChild?.querySelector('[name=code]')?.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    save.disabled = true;
    try {
      const body = reasonsBody([...list.querySelectorAll('fieldset')].map(readRow));
      reasons = (await api('/api/review/reasons', { method: 'PUT', json: body })).reasons.map((r) => ({ ...r, saved: true }));
      draw();
      message.show(t('reasons.saved', { n: reasons.length }), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    } finally {
      save.disabled = false;
    }
  });
  root.append(pageTitle(t('reasons.title')), h('p', { class: 'lead' }, t('reasons.intro')), message.el, form);
  load();
}
