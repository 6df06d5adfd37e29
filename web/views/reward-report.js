// Centre: per-year reward report (GET /api/rewards/reports?year=) as a table
// and a hand-drawn SVG bar chart of amounts by department.
import { deptLabel } from '../components/departments.js';
import { h, svg, replace, field, select, messageRegion, table, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, academicYearLabel, currentAcademicYear, formatMoney } from '../format.js';

const BAR_HEIGHT = 28;
const GAP = 10;
const LABEL_WIDTH = 130;
const CHART_WIDTH = 560;

function rowDept(row) {
  return deptLabel(row.dept) || row.dept_name || '—';
}

/** Sums rows per department: [{dept, dept_name, count, amount}], largest amount first. */
export function totalsByDept(rows) {
  const map = new Map();
  for (const r of rows) {
    const item = map.get(r.dept) || { dept: r.dept, dept_name: r.dept_name, count: 0, amount: 0 };
    item.count += Number(r.count) || 0;
    item.amount += Number(r.amount) || 0;
    map.set(r.dept, item);
  }
  return [...map.values()].sort((a, b) => b.amount - a.amount);
}

function barChart(totals, year) {
  const max = Math.max(1, ...totals.map((d) => d.amount));
  const height = totals.length * (BAR_HEIGHT + GAP) + GAP;
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 150;
  const titleId = 'report-chart-title';
  return svg('svg', {
    viewBox: `0 0 ${CHART_WIDTH} ${height}`, class: 'bar-chart', role: 'img', 'aria-labelledby': titleId, testid: 'report-chart',
    preserveAspectRatio: 'xMinYMin meet',
  },
  svg('title', { id: titleId }, t('report.chart_title', { year: academicYearLabel(year) })),
  totals.map((d, i) => {
    const y = GAP + i * (BAR_HEIGHT + GAP);
    const width = Math.max(2, Math.round((d.amount / max) * barSpace));
    return svg('g', { 'data-dept': d.dept, testid: 'report-bar' },
      svg('text', { x: LABEL_WIDTH - 8, y: y + BAR_HEIGHT / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' },
        rowDept(d)),
      svg('rect', { x: LABEL_WIDTH, y, width, height: BAR_HEIGHT, rx: 3, class: 'bar' }),
      svg('text', { x: LABEL_WIDTH + width + 6, y: y + BAR_HEIGHT / 2, 'dominant-baseline': 'middle', class: 'bar-value' },
        `${formatMoney(d.amount)}（${t('report.n_apps', { n: d.count })}）`));
  }));
}

export function render(root) {
  const message = messageRegion('report-message');
  const holder = h('div', { class: 'report' });
  const year = select({ name: 'year', testid: 'report-year', value: currentAcademicYear() }, academicYearOptions());
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'report-submit' }, t('report.show'));
  const form = h('form', { class: 'filters' }, field(t('query.year'), year), h('div', { class: 'form-actions' }, submit));

  async function load() {
    message.clear();
    try {
      const rows = itemsOf(await api('/api/rewards/reports', { query: { year: year.value } }));
      const totals = totalsByDept(rows);
      const sum = totals.reduce((acc, d) => ({ count: acc.count + d.count, amount: acc.amount + d.amount }), { count: 0, amount: 0 });
      replace(holder,
        rows.length ? h('figure', { class: 'chart' }, barChart(totals, year.value),
          h('figcaption', {}, t('report.total', { n: sum.count, amount: formatMoney(sum.amount) }))) : null,
        table({
          testid: 'report-table', rows, empty: t('report.empty'), caption: t('report.table_caption', { year: academicYearLabel(year.value) }),
          rowAttrs: (r) => ({ testid: 'report-row', 'data-dept': r.dept }),
          columns: [
            { label: t('report.col_dept'), render: rowDept },
            { label: t('report.col_standard'), render: (r) => r.standard_label },
            { label: t('report.col_count'), render: (r) => String(r.count) },
            { label: t('report.col_amount'), render: (r) => formatMoney(r.amount) },
          ],
        }));
    } catch (err) {
      replace(holder);
      message.show(err.message, 'error');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  root.append(pageTitle(t('report.title')), form, message.el, holder);
  load();
}
