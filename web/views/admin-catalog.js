// Admin: the certificate catalog — search, create, edit (POST /api/catalog,
// PATCH /api/catalog/{id}) and CSV import (POST /api/catalog/import).
import { h, replace, field, select, table, messageRegion, busy, pageTitle, debounce } from '../dom.js';
import { api, apiUpload, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { yesNo } from '../format.js';
import { loadCategories, categoryOptions, categoryNamer } from '../components/categories.js';
import { catalogEntryForm } from '../components/catalog-entry-form.js';
import { downloadLink } from '../components/download-link.js';

const IMPORT_COLUMNS = ['national_code', 'name', 'name_en', 'issuer', 'category', 'foreign', 'it_certificate', 'bundle', 'levels', 'validity'];
const REQUIRED_COLUMNS = new Set(['national_code', 'name', 'issuer', 'category']);

/** The import's columns, each with whether it is required and what it takes. */
function importColumns() {
  return h('details', { class: 'panel import-columns', testid: 'catalog-import-columns' },
    h('summary', {}, t('catalog.import_columns')),
    table({
      testid: 'catalog-import-columns-table', rows: IMPORT_COLUMNS,
      columns: [
        { label: t('catalog.import_col_name'), render: (c) => t(`catalog.col.${c}`) },
        { label: t('catalog.import_col_required'), render: (c) => (REQUIRED_COLUMNS.has(c) ? t('common.required') : t('common.optional')) },
        { label: t('catalog.import_col_content'), render: (c) => t(`catalog.col_doc.${c}`) },
      ],
    }));
}

function importSummary(answer) {
  if (!answer || typeof answer !== 'object') return t('catalog.imported');
  const parts = ['created', 'updated', 'skipped'].filter((k) => answer[k] !== undefined)
    .map((k) => `${t(`catalog.import_${k}`)} ${answer[k]}`);
  const errors = (answer.errors || []).map((e) => (typeof e === 'string' ? e : `${e.line ?? e.row ?? ''} ${e.message || e.error || ''}`));
  return [t('catalog.imported'), parts.join('，'), errors.length ? `${t('catalog.import_errors')}：${errors.slice(0, 10).join('；')}` : '']
    .filter(Boolean).join(' ');
}

export function render(root) {
  const message = messageRegion('catalog-message');
  const formHolder = h('div', { class: 'form-holder' });
  const holder = h('div', { class: 'list-holder' });
  const q = h('input', { type: 'search', name: 'q', testid: 'catalog-search', placeholder: t('catalog.search_placeholder') });
  const category = select({ name: 'category', testid: 'catalog-filter-category' }, [], { empty: t('common.all_categories') });
  let categories = [];
  let nameCategory = (c) => c;

  function openForm(entry) {
    replace(formHolder, catalogEntryForm({
      entry, categories,
      onSaved: (saved) => {
        replace(formHolder);
        message.show(t('catalog.saved', { name: saved.name || '' }), 'success');
        load();
      },
      onCancel: () => replace(formHolder),
    }));
    formHolder.querySelector('input')?.focus();
  }

  async function load() {
    try {
      const rows = itemsOf(await api('/api/catalog', { query: { q: q.value.trim(), category: category.value, include_inactive: true, limit: 100 } }));
      replace(holder, table({
        testid: 'catalog-table', rows, empty: t('catalog.none'),
        rowAttrs: (e) => ({ testid: 'catalog-row', 'data-id': e.id }),
        columns: [
          { label: t('catalog.name'), render: (e) => [pick(e.name, e.name_en), e.aliases?.length ? h('small', { class: 'muted', testid: 'catalog-row-aliases' }, ` ${t('catalog.also_known_as', { names: e.aliases.join('、') })}`) : null] },
          { label: t('catalog.issuer'), render: (e) => e.issuer },
          { label: t('cert.category'), render: (e) => nameCategory(e.category) },
          { label: t('catalog.key'), render: (e) => e.key || '' },
          { label: t('catalog.national_code'), render: (e) => e.national_code || '' },
          { label: t('catalog.it_certificate'), render: (e) => (e.it_certificate === undefined ? '' : yesNo(e.it_certificate)) },
          { label: t('catalog.bundle'), render: (e) => e.bundle || '' },
          { label: t('catalog.active'), render: (e) => (e.active === undefined ? '' : yesNo(e.active)) },
          { label: t('catalog.levels'), render: (e) => (e.levels || []).map((l) => (l.cefr ? `${l.name} (${l.cefr})` : l.name)).join('、') },
          { label: t('common.actions'), render: (e) => h('button', { type: 'button', class: 'btn btn-small', testid: 'catalog-edit', onClick: () => openForm(e) }, t('common.edit')) },
        ],
      }));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  const fileInput = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', testid: 'catalog-import-file' });
  const importButton = h('button', { type: 'submit', class: 'btn', testid: 'catalog-import-submit' }, t('catalog.import'));
  const importForm = h('form', { class: 'inline-form panel', testid: 'catalog-import-form' },
    field(t('catalog.import_file'), fileInput, { hint: t('catalog.import_hint') }), importButton,
    downloadLink({ path: '/api/catalog/import/template.csv', label: t('catalog.import_template'), testid: 'catalog-import-template',
      fallbackName: 'catalog-import-template.csv', onError: (err) => message.show(err.message, 'error') }));
  importForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!fileInput.files[0]) {
      message.show(t('upload.required'), 'error');
      return;
    }
    const data = new FormData();
    data.append('file', fileInput.files[0]);
    busy(importButton, async () => {
      try {
        const answer = await apiUpload('/api/catalog/import', data);
        message.show(importSummary(answer), 'success');
        importForm.reset();
        load();
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  });

  const search = debounce(load, 300);
  q.addEventListener('input', search);
  category.addEventListener('change', load);
  root.append(
    pageTitle(t('catalog.admin_title'),
      h('button', { type: 'button', class: 'btn btn-primary', testid: 'catalog-new', onClick: () => openForm(null) }, t('catalog.new_entry'))),
    message.el, formHolder,
    h('div', { class: 'filters', role: 'search' }, field(t('common.keyword'), q), field(t('cert.category'), category)),
    holder, importForm, importColumns());
  loadCategories().then((list) => {
    categories = list;
    nameCategory = categoryNamer(list);
    categoryOptions(list).forEach((o) => category.appendChild(h('option', { value: o.value }, o.label)));
    load();
  });
}
