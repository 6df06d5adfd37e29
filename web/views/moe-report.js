// Centre/admin: the MOE 技專校院校務基本資料庫 certificate report
// (GET /api/certificates/reports/moe?year=&semester=&format=): pick 學年 and 學期,
// see the counts by 技專代號 and the certificates without a code, download CSV/XLSX.
import { h, replace, field, select, messageRegion, table, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, academicYearLabel, currentAcademicYear } from '../format.js';
import { downloadLink } from '../components/download-link.js';

const PATH = '/api/certificates/reports/moe';

/** The query for a year and an optional semester ('' = the whole year). */
export function moeQuery(year, semester, format) {
  const query = { year: String(year) };
  if (semester) query.semester = String(semester);
  if (format) query.format = format;
  return query;
}

function cellsTable(rows, columns, testid, empty) {
  return table({
    testid, rows, empty,
    rowAttrs: (r) => ({ testid: `${testid}-row`, 'data-id': r.certificate_id }),
    columns: columns.map((label, i) => ({ label, render: (r) => String(r.cells[i] ?? '') })),
  });
}

export function render(root) {
  const message = messageRegion('moe-message');
  const holder = h('div', { class: 'report' });
  const downloads = h('div', { class: 'form-actions', testid: 'moe-downloads' });
  const year = select({ name: 'year', testid: 'moe-year', value: currentAcademicYear() }, academicYearOptions());
  const semester = select({ name: 'semester', testid: 'moe-semester' }, [
    { value: '', label: t('moe.whole_year') }, { value: '1', label: t('moe.semester_1') },
    { value: '2', label: t('moe.semester_2') }]);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'moe-submit' }, t('moe.show'));
  const form = h('form', { class: 'filters' }, field(t('query.year'), year), field(t('moe.semester'), semester),
    h('div', { class: 'form-actions' }, submit));

  async function load() {
    message.clear();
    const fallback = `moe-certificates-${year.value}`;
    replace(downloads,
      downloadLink({ path: PATH, query: moeQuery(year.value, semester.value, 'csv'), label: t('moe.csv'),
        testid: 'moe-csv', fallbackName: `${fallback}.csv`, onError: (err) => message.show(err.message, 'error') }),
      downloadLink({ path: PATH, query: moeQuery(year.value, semester.value, 'xlsx'), label: t('moe.xlsx'),
        testid: 'moe-xlsx', fallbackName: `${fallback}.xlsx`, onError: (err) => message.show(err.message, 'error') }));
    try {
      const report = await api(PATH, { query: moeQuery(year.value, semester.value) });
      const total = report.counts.reduce((sum, c) => sum + c.count, 0);
      replace(holder,
        h('p', { testid: 'moe-total' }, t('moe.total', { n: total, codes: report.counts.length, year: academicYearLabel(report.year) })),
        table({
          testid: 'moe-counts', rows: report.counts, empty: t('moe.empty'), caption: t('moe.counts_caption'),
          rowAttrs: (r) => ({ testid: 'moe-count-row', 'data-code': r.national_code }),
          columns: [
            { label: t('moe.col_code'), render: (r) => r.national_code },
            { label: t('moe.col_name'), render: (r) => r.name },
            { label: t('moe.col_issuer'), render: (r) => r.issuer },
            { label: t('moe.col_count'), render: (r) => String(r.count) },
          ],
        }),
        h('section', { class: 'moe-uncoded', testid: 'moe-uncoded' },
          h('h2', {}, t('moe.uncoded_title', { n: report.uncoded.length })),
          h('p', { class: 'hint' }, t('moe.uncoded_hint')),
          cellsTable(report.uncoded, report.columns, 'moe-uncoded-table', t('moe.uncoded_none'))),
        h('details', { class: 'moe-rows' }, h('summary', {}, t('moe.rows_title', { n: report.rows.length })),
          cellsTable(report.rows, report.columns, 'moe-rows-table', t('moe.empty'))));
    } catch (err) {
      replace(holder);
      message.show(err.message, 'error');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  root.append(pageTitle(t('moe.title')), form, downloads, message.el, holder);
  load();
}
