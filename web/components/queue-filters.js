// Filters of the review queue (status, department, category, student) and
// the paged loading of GET /api/review/queue.
import { h, field, select } from '../dom.js';
import { api, itemsOf, cursorOf } from '../api.js';
import { t } from '../i18n.js';
import { CERTIFICATE_STATUSES } from '../format.js';
import { loadCategories, categoryOptions } from './categories.js';
import { deptControl } from './dept-control.js';

/**
 * queueFilters({user, status, fixedStatus, onSearch}) -> {el, query(), categories: Promise}
 * fixedStatus hides the status filter (e.g. the credit-waiver screen).
 */
export function queueFilters({ user, status = '', fixedStatus, onSearch }) {
  // Empty = the statuses still to review (the API's default); "all" = any status.
  const statusSel = select({ name: 'status', testid: 'queue-filter-status', value: status },
    [...CERTIFICATE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })), { value: 'all', label: t('queue.any_status') }],
    { empty: t('queue.to_review') });
  const deptSel = deptControl(user, 'queue-filter-dept');
  const categorySel = select({ name: 'category', testid: 'queue-filter-category' }, [], { empty: t('common.all') });
  const student = h('input', { type: 'search', name: 'student', testid: 'queue-filter-student', placeholder: t('queue.student_placeholder') });
  const age = h('input', { type: 'number', name: 'min_age_days', min: '0', max: '3650', testid: 'queue-filter-age', inputmode: 'numeric' });
  const submit = h('button', { type: 'submit', class: 'btn', testid: 'queue-search' }, t('common.search'));
  const categories = loadCategories().then((list) => {
    categoryOptions(list).forEach((o) => categorySel.appendChild(h('option', { value: o.value }, o.label)));
    return list;
  });
  const form = h('form', { class: 'filters', role: 'search', testid: 'queue-filters' },
    fixedStatus ? null : field(t('queue.col_status'), statusSel),
    field(t('queue.col_dept'), deptSel), deptSel.datalist,
    field(t('queue.col_category'), categorySel),
    field(t('queue.col_student'), student),
    field(t('queue.min_age'), age),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSearch();
  });
  [statusSel, deptSel, categorySel].forEach((el) => el.addEventListener('change', () => onSearch()));
  return {
    el: form,
    categories,
    query: () => ({
      status: fixedStatus || statusSel.value,
      dept: deptSel.value.trim(),
      category: categorySel.value,
      student: student.value.trim(),
      min_age_days: age.value,
    }),
  };
}

/** A pager over GET /api/review/queue: load(reset) -> all rows so far. */
export function queuePager(getQuery, pageSize = 50) {
  let rows = [];
  let cursor = null;
  return {
    async load(reset = true) {
      const answer = await api('/api/review/queue', { query: { ...getQuery(), limit: pageSize, cursor: reset ? null : cursor } });
      rows = reset ? itemsOf(answer) : rows.concat(itemsOf(answer));
      cursor = cursorOf(answer);
      return rows;
    },
    hasMore: () => Boolean(cursor),
  };
}
