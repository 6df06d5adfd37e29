// Student: bank account of a reward application (金融帳號), required before the
// first review can pass ("other" needs the centre's acknowledgement): PUT /api/rewards/applications/{id}/bank-account (multipart,
// file "passbook"). A verified account (one a reward was paid to) can be reused in one click
// (POST …/bank-account/reuse {from_application_id}); it is sealed again, shown masked only.
import { h, replace, field, messageRegion, showFieldErrors, clearFieldErrors, pageTitle, busy } from '../dom.js';
import { api, apiUpload, itemsOf } from '../api.js';
import { t } from '../i18n.js';
import { fileDrop } from '../components/file-drop.js';
import { bankCell } from '../components/application-table.js';
import { bankNamer } from '../components/bank-names.js';

const POST_OFFICE_CODE = '7000021';
// 財金資訊公司 (FISC): the list of financial institutions and their branch codes.
const FISC_CODES_URL = 'https://www.fisc.com.tw/';
const METHODS = ['bank', 'post', 'other'];

export function render(root, ctx) {
  const id = ctx.params.id;
  const message = messageRegion('form-message');
  const head = h('div', { class: 'status-line' });
  const radios = METHODS.map((m) => h('input', {
    type: 'radio', name: 'method', value: m, id: `method-${m}`, testid: `bank-method-${m}`, checked: m === 'bank',
  }));
  const inputs = {
    code: h('input', { type: 'text', name: 'code', testid: 'bank-code', inputmode: 'numeric', pattern: '\\d{7}', maxlength: '7', required: true }),
    account_no: h('input', { type: 'text', name: 'account_no', testid: 'bank-account-no', inputmode: 'numeric', pattern: '\\d{6,16}', maxlength: '16', required: true, autocomplete: 'off' }),
    account_name: h('input', { type: 'text', name: 'account_name', testid: 'bank-account-name', required: true, value: ctx.user.name }),
    postal_code: h('input', { type: 'text', name: 'postal_code', testid: 'bank-postal-code', inputmode: 'numeric', pattern: '\\d{3,6}', maxlength: '6', required: true, autocomplete: 'postal-code' }),
    address: h('input', { type: 'text', name: 'address', testid: 'bank-address', required: true, autocomplete: 'street-address' }),
  };
  const otherReason = h('textarea', { name: 'other_reason', testid: 'bank-other-reason', rows: '2', maxlength: '500' });
  const otherField = field(t('bank.other_reason'), otherReason, { wide: true, hint: t('bank.method_hint') });
  let hasPassbook = false;
  const passbook = fileDrop({ name: 'passbook', testid: 'bank-passbook', label: t('bank.passbook'), required: true, hint: t('bank.passbook_hint') });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'bank-submit' }, t('common.save'));
  const codeHelp = h('ul', { class: 'hint-list', id: 'bank-code-help' },
    h('li', {}, t('bank.code_help_post')), h('li', {}, t('bank.code_help_bank')),
    h('li', {}, t('bank.code_help_lookup'), ' ',
      h('a', { href: FISC_CODES_URL, target: '_blank', rel: 'noopener noreferrer', testid: 'bank-code-source' }, t('bank.code_source'))));
  const codeEcho = h('p', { class: 'bank-echo', id: 'bank-code-echo', testid: 'bank-code-echo', 'aria-live': 'polite' });
  let nameOf = () => null;
  bankNamer().then((namer) => { nameOf = namer; echoCode(); });
  function echoCode() {
    const code = inputs.code.value.trim();
    const found = nameOf(code);
    if (!found) {
      replace(codeEcho, code.length >= 3 ? h('span', { class: 'field-error' }, t('bank.code_unknown', { head: code.slice(0, 3) })) : '');
      codeEcho.dataset.known = 'false';
      return;
    }
    codeEcho.dataset.known = 'true';
    replace(codeEcho, found.branch ? t('bank.code_echo_branch', { bank: found.bank, branch: found.branch }) : t('bank.code_echo', { bank: found.bank }));
  }
  inputs.code.addEventListener('input', echoCode);

  function method() {
    return radios.find((r) => r.checked)?.value || 'bank';
  }

  function applyMethod() {
    const m = method();
    if (m === 'post') inputs.code.value = POST_OFFICE_CODE;
    else if (inputs.code.value === POST_OFFICE_CODE && m === 'bank') inputs.code.value = '';
    echoCode();
    const needsAccount = m !== 'other';
    for (const name of ['code', 'account_no']) {
      inputs[name].required = needsAccount;
      inputs[name].disabled = !needsAccount;
      const mark = inputs[name].closest('.field')?.querySelector('label .req');
      if (mark) mark.hidden = !needsAccount;
    }
    inputs.code.readOnly = m === 'post';
    otherField.hidden = needsAccount;
    otherReason.disabled = needsAccount;
    otherReason.required = !needsAccount;
    passbook.setRequired(needsAccount && !hasPassbook);
  }
  radios.forEach((r) => r.addEventListener('change', applyMethod));

  const form = h('form', { class: 'form-grid', testid: 'bank-form' },
    h('fieldset', { class: 'field field-wide radio-row' },
      h('legend', {}, t('bank.method')),
      radios.map((r) => h('span', { class: 'radio' }, r, h('label', { for: r.id }, t(`bank.method_${r.value}`)))),
      h('p', { class: 'hint' }, t('bank.method_hint'))),
    field(t('bank.code'), inputs.code, { hint: t('bank.code_hint'), required: true }),
    h('div', { class: 'field' }, codeEcho, codeHelp),
    field(t('bank.account_no'), inputs.account_no, { hint: t('bank.account_no_hint'), required: true }),
    field(t('bank.account_name'), inputs.account_name, { hint: t('bank.account_name_hint'), required: true }),
    field(t('bank.postal_code'), inputs.postal_code, { required: true }),
    field(t('bank.address'), inputs.address, { wide: true, required: true }),
    otherField,
    passbook.el,
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/rewards/mine', testid: 'bank-cancel' }, t('common.cancel'))));
  inputs.code.setAttribute('aria-describedby', `${inputs.code.getAttribute('aria-describedby')} bank-code-echo bank-code-help`);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    const problem = passbook.check();
    if (problem) {
      showFieldErrors(form, { passbook: problem });
      message.show(t('error.validation'), 'error');
      return;
    }
    const data = new FormData();
    data.append('method', method());
    for (const [name, el] of Object.entries(inputs)) if (!el.disabled) data.append(name, el.value.trim());
    if (!otherReason.disabled) data.append('other_reason', otherReason.value.trim());
    if (passbook.file()) data.append('passbook', passbook.file());
    submit.disabled = true;
    try {
      await apiUpload(`/api/rewards/applications/${encodeURIComponent(id)}/bank-account`, data, {
        method: 'PUT', onProgress: (f) => passbook.setProgress(f),
      });
      ctx.flashNext(t('bank.saved'), 'success');
      ctx.navigate('/rewards/mine');
    } catch (err) {
      passbook.setProgress(null);
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      submit.disabled = false;
    }
  });

  const reuse = h('div', { class: 'reuse-account', testid: 'bank-reuse-box' });
  root.append(pageTitle(t('bank.title')), head, h('p', { class: 'lead' }, t('bank.intro')), message.el, reuse, form);
  offerReuse(reuse, id, { message, ctx });
  applyMethod();

  api(`/api/rewards/applications/${encodeURIComponent(id)}`)
    .then((app) => {
      replace(head, `${app.label || ''}\u3000${t('app.col_bank')}：`, bankCell(app));
      const b = app.bank_account;
      if (b?.code) inputs.code.value = b.code;
      echoCode();
      if (b?.account_name) inputs.account_name.value = b.account_name;
      hasPassbook = Boolean(b?.has_passbook);
      if (b?.method) radios.forEach((r) => { r.checked = r.value === b.method; });
      applyMethod();
    })
    .catch((err) => message.show(err.message, 'error'));
}

/** The latest paid application's account, offered for reuse (masked). */
async function offerReuse(box, id, { message, ctx }) {
  let paid;
  try {
    paid = itemsOf(await api('/api/rewards/applications', { query: { status: 'paid', limit: 20 } }))
      .find((a) => String(a.id) !== String(id) && a.bank_account && a.bank_account.method !== 'other');
  } catch {
    return; // the form still works
  }
  if (!paid) return;
  const b = paid.bank_account;
  const button = h('button', { type: 'button', class: 'btn btn-primary', testid: 'bank-reuse' }, t('bank.reuse'));
  button.addEventListener('click', () => busy(button, async () => {
    message.clear();
    try {
      await api(`/api/rewards/applications/${encodeURIComponent(id)}/bank-account/reuse`, {
        method: 'POST', json: { from_application_id: paid.id },
      });
      ctx.flashNext(t('bank.saved'), 'success');
      ctx.navigate('/rewards/mine');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));
  replace(box, h('p', {}, t('bank.reuse_offer', { account: [b.code, b.account_masked].filter(Boolean).join(' '), label: paid.label })), button);
}
