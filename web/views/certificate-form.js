// Student: register a certificate (POST /api/certificates, multipart) or edit
// one (PATCH /api/certificates/{id}, same fields; the scan is optional then).
import { h, replace, field, select, messageRegion, showFieldErrors, clearFieldErrors, pageTitle } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, pick } from '../i18n.js';
import { statusBadge, todayInTaipei } from '../format.js';
import { catalogPicker } from '../components/catalog-picker.js';
import { fileDrop } from '../components/file-drop.js';
import { nextStep, loadTrackSteps } from '../components/next-step.js';
import { loadCategories, categoryOptions } from '../components/categories.js';

const TEXT_FIELDS = ['score', 'issued_on', 'email', 'phone', 'mobile', 'certificate_no', 'remarks'];

function levelLabel(level) {
  return level.cefr ? `${pick(level.name, level.name_en)}（CEFR ${level.cefr}）` : pick(level.name, level.name_en);
}

/** The catalog entry of an existing certificate (GET /api/catalog/{id}). */
async function findEntry(cert) {
  try {
    return await api(`/api/catalog/${encodeURIComponent(cert.entry_id)}`);
  } catch {
    /* fall back below */
  }
  return {
    id: cert.entry_id, name: cert.entry_name, category: cert.category,
    levels: cert.level_id ? [{ id: cert.level_id, name: cert.level_name, cefr: cert.cefr }] : [],
  };
}

export function render(root, ctx) {
  const editingId = ctx.params.id || null;
  const message = messageRegion('form-message');
  const inputs = {
    category: select({ name: 'category', testid: 'cert-category' }, [], { empty: t('common.all_categories') }),
    level_id: select({ name: 'level_id', testid: 'cert-level', disabled: true }, [], { empty: t('cert.choose_entry_first') }),
    score: h('input', { type: 'text', name: 'score', testid: 'cert-score', maxlength: '50' }),
    issued_on: h('input', { type: 'date', name: 'issued_on', testid: 'cert-issued-on', required: true, max: todayInTaipei() }),
    email: h('input', { type: 'email', name: 'email', testid: 'cert-email', required: true, autocomplete: 'email', value: ctx.user.email }),
    phone: h('input', { type: 'tel', name: 'phone', testid: 'cert-phone', autocomplete: 'tel' }),
    mobile: h('input', { type: 'tel', name: 'mobile', testid: 'cert-mobile', autocomplete: 'tel' }),
    certificate_no: h('input', { type: 'text', name: 'certificate_no', testid: 'cert-certificate-no' }),
    remarks: h('textarea', { name: 'remarks', testid: 'cert-remarks', rows: '3', maxlength: '500' }),
  };

  function setLevels(entry, selectedId) {
    const levels = entry?.levels || [];
    const el = inputs.level_id;
    replace(el, h('option', { value: '' }, entry ? (levels.length ? t('cert.choose_level') : t('cert.no_levels')) : t('cert.choose_entry_first')));
    levels.forEach((l) => el.appendChild(h('option', { value: l.id }, levelLabel(l))));
    el.disabled = !levels.length;
    el.required = levels.length > 0;
    const mark = el.closest('.field')?.querySelector('label .req');
    if (mark) mark.hidden = !el.required; // 等級 is required when the entry has levels
    el.value = selectedId ? String(selectedId) : (levels.length === 1 ? String(levels[0].id) : '');
  }

  const picker = catalogPicker({
    testid: 'cert-entry', label: t('cert.entry'), required: true,
    getCategory: () => inputs.category.value,
    onSelect: (entry) => {
      setLevels(entry);
      if (entry?.category && !inputs.category.value) inputs.category.value = String(entry.category);
    },
  });
  inputs.category.addEventListener('change', () => {
    const entry = picker.entry();
    if (entry && inputs.category.value && String(entry.category) !== inputs.category.value) {
      picker.setEntry(null);
      setLevels(null);
    }
    picker.refresh();
  });

  const scan = fileDrop({ name: 'scan', testid: 'cert-scan', label: t('cert.scan'), required: !editingId, hint: t('cert.scan_hint') });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'cert-submit' },
    editingId ? t('cert.save_resubmit') : t('cert.register'));
  const statusLine = h('p', { class: 'status-line' });

  const form = h('form', { class: 'form-grid', testid: 'cert-form' },
    field(t('cert.category'), inputs.category),
    picker.el,
    field(t('cert.level'), inputs.level_id, { required: true }),
    field(t('cert.score'), inputs.score, { hint: t('cert.score_hint') }),
    field(t('cert.issued_on'), inputs.issued_on, { hint: t('cert.issued_on_hint'), required: true }),
    field(t('cert.email'), inputs.email, { hint: t('cert.email_hint'), required: true }),
    field(t('cert.phone'), inputs.phone),
    field(t('cert.mobile'), inputs.mobile),
    field(t('cert.certificate_no'), inputs.certificate_no, { hint: t('cert.certificate_no_hint') }),
    field(t('cert.remarks'), inputs.remarks, { wide: true }),
    scan.el,
    h('div', { class: 'form-actions' }, submit, h('a', { href: '#/certificates', class: 'btn btn-ghost', testid: 'cert-cancel' }, t('common.cancel'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    const problems = {};
    if (!picker.entry()) problems.entry_id = t('cert.entry_required');
    const scanProblem = scan.check();
    if (scanProblem) problems.scan = scanProblem;
    if (Object.keys(problems).length) {
      showFieldErrors(form, problems);
      message.show(t('error.validation'), 'error');
      return;
    }
    const data = new FormData();
    data.append('entry_id', picker.entry().id);
    if (inputs.level_id.value) data.append('level_id', inputs.level_id.value);
    for (const name of TEXT_FIELDS) data.append(name, inputs[name].value.trim());
    if (scan.file()) data.append('scan', scan.file());
    submit.disabled = true;
    try {
      const path = editingId ? `/api/certificates/${encodeURIComponent(editingId)}` : '/api/certificates';
      const cert = await apiUpload(path, data, { method: editingId ? 'PATCH' : 'POST', onProgress: (f) => scan.setProgress(f) });
      const note = cert?.status === 'draft' ? t('cert.saved_confirm_mail') : t('cert.saved');
      ctx.flashNext(note, 'success');
      ctx.navigate('/certificates');
    } catch (err) {
      scan.setProgress(null);
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      submit.disabled = false;
    }
  });

  root.append(
    pageTitle(editingId ? t('cert.edit_title') : t('cert.new_title')),
    statusLine,
    h('p', { class: 'lead' }, t('cert.form_intro')),
    message.el,
    form,
  );

  // Signed out while typing: what was typed comes back after signing in again (web/draft.js).
  ctx.keepDraft(() => ({
    category: inputs.category.value, entry: picker.entry(), level_id: inputs.level_id.value,
    fields: Object.fromEntries(TEXT_FIELDS.map((name) => [name, inputs[name].value])),
  }));

  function restoreDraft(draft) {
    if (draft.category) inputs.category.value = draft.category;
    if (draft.entry) {
      picker.setEntry(draft.entry);
      setLevels(draft.entry, draft.level_id);
    }
    for (const name of TEXT_FIELDS) {
      if (typeof draft.fields?.[name] === 'string') inputs[name].value = draft.fields[name];
    }
    message.show(t('cert.draft_restored'), 'info');
  }

  loadCategories().then(async (categories) => {
    categoryOptions(categories).forEach((o) => inputs.category.appendChild(h('option', { value: o.value }, o.label)));
    if (editingId) await loadExisting();
    if (ctx.draft) restoreDraft(ctx.draft);
  });

  async function loadExisting() {
    try {
      const [cert, stepOf] = await Promise.all([api(`/api/certificates/${encodeURIComponent(editingId)}`), loadTrackSteps()]);
      replace(statusLine, t('cert.current_status'), ' ', statusBadge(cert.status, cert.status_label, 'cert-status', cert.status_label_en), ' ', nextStep(cert, stepOf));
      if (cert.can_edit === false) {
        message.show(t('cert.read_only'), 'error');
        submit.disabled = true;
      }
      const entry = await findEntry(cert);
      picker.setEntry(entry);
      if (entry.category) inputs.category.value = String(entry.category);
      setLevels(entry, cert.level_id);
      for (const name of TEXT_FIELDS) {
        if (cert[name] !== undefined && cert[name] !== null) inputs[name].value = String(cert[name]);
      }
      if (cert.issued_on) inputs.issued_on.value = String(cert.issued_on).slice(0, 10);
    } catch (err) {
      message.show(err.message, 'error');
    }
  }
}
