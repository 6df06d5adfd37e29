// Staff: school-wide (centre) or department (reviewer) history query of
// reward applications with the seed's filters, paged, exportable to CSV/XLSX.
// The centre acknowledges an "other" payment method here (its reason shown
// first): POST /api/rewards/applications/{id}/bank-account/acknowledge.
import { h, replace, field, select, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf, cursorOf } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, currentAcademicYear } from '../format.js';
import { applicationTable } from '../components/application-table.js';
import { downloadLink } from '../components/download-link.js';
import { deptControl } from '../components/dept-control.js';

const DIVISIONS = ['day', 'night', 'in-service'];
const PROGRAMS = ['associate', 'bachelor', 'master', 'phd'];

export function render(root, ctx) {
  const message = messageRegion('query-message');
  const holder = h('div', { class: 'list-holder' });
  const exports = h('div', { class: 'row-actions', testid: 'query-exports' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'query-more', hidden: true }, t('common.more'));
  const inputs = {
    year: select({ name: 'year', testid: 'query-year', value: currentAcademicYear() }, academicYearOptions(), { empty: t('common.all_years') }),
    division: select({ name: 'division', testid: 'query-division' }, DIVISIONS.map((d) => ({ value: d, label: t(`division.${d}`) })), { empty: t('common.all') }),
    program: select({ name: 'program', testid: 'query-program' }, PROGRAMS.map((p) => ({ value: p, label: t(`program.${p}`) })), { empty: t('common.all') }),
    dept: deptControl(ctx.user, 'query-dept'),
    class: h('input', { type: 'text', name: 'class', testid: 'query-class', placeholder: t('common.example', { v: 'IM3A' }) }),
    student: h('input', { type: 'text', name: 'student', testid: 'query-student', placeholder: t('common.example', { v: 's1100001' }) }),
    name: h('input', { type: 'text', name: 'name', testid: 'query-name' }),
  };
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'query-submit' }, t('common.search'));
  const form = h('form', { class: 'filters', role: 'search', testid: 'query-form' },
    Object.entries(inputs).map(([name, el]) => [field(t(`query.${name}`), el), el.datalist]),
    h('div', { class: 'form-actions' }, submit));
  let rows = [];
  let cursor = null;
  const centre = (ctx.user.roles || []).includes('center');

  function acknowledgeCell(app) {
    const b = app.bank_account;
    if (b?.method !== 'other' || b.other_acknowledged) return '';
    const button = h('button', { type: 'button', class: 'btn btn-small', testid: 'query-acknowledge-other' }, t('query.acknowledge_other'));
    button.addEventListener('click', () => busy(button, async () => {
      message.clear();
      try {
        const path = `/api/rewards/applications/${encodeURIComponent(app.id)}`;
        const shown = await api(path);
        if (!window.confirm(t('query.acknowledge_confirm', { reason: shown.bank_account?.other_reason || '' }))) return;
        await api(`${path}/bank-account/acknowledge`, { method: 'POST', json: {} });
        await load();
        message.show(t('query.acknowledged', { name: app.student_name }), 'success');
      } catch (err) {
        message.show(err.message, 'error');
      }
    }));
    return button;
  }

  function query() {
    return Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
  }

  function drawExports(q) {
    const onError = (err) => message.show(err.message, 'error');
    replace(exports,
      downloadLink({ path: '/api/rewards/applications/export.csv', query: q, label: t('query.export_csv'), testid: 'query-export-csv', fallbackName: 'applications.csv', onError }),
      downloadLink({ path: '/api/rewards/applications/export.xlsx', query: q, label: t('query.export_xlsx'), testid: 'query-export-xlsx', fallbackName: 'applications.xlsx', onError }));
  }

  async function load(append = false) {
    message.clear();
    const q = query();
    try {
      const answer = await api('/api/rewards/applications', { query: { ...q, limit: 50, cursor: append ? cursor : null } });
      rows = append ? rows.concat(itemsOf(answer)) : itemsOf(answer);
      cursor = cursorOf(answer);
      replace(holder, h('p', { class: 'result-count', 'aria-live': 'polite' }, t('query.count', { n: rows.length })),
        applicationTable({ rows, testid: 'query-table', rowTestid: 'query-row', actions: centre ? acknowledgeCell : undefined }));
      more.hidden = !cursor;
      drawExports(q);
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, () => load());
  });
  more.addEventListener('click', () => busy(more, () => load(true)));
  root.append(pageTitle(t('query.title')), form, exports, message.el, holder, more);
  drawExports(query());
  load();
}
