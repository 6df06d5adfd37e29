// Reward applications in the seed's columns (學年, 學號姓名, 獎勵標準, 初審 and 複審 — each
// review's result, reviewer and date in one cell so that the table fits 1366 px —, 證照張數,
// 詳細內容, 金融帳號), shared by the student's, reviewers' and the centre's screens.
import { deptLabel } from './departments.js';
import { h, table } from '../dom.js';
import { t, pick } from '../i18n.js';
import { academicYearLabel, formatDate, formatDateTime, formatMoney, applicationBadge, resultBadge, studentLabel } from '../format.js';

/** True while the owner may still edit or delete (until first review passes). */
export function ownerCanChange(app) {
  if (app.can_edit !== undefined) return Boolean(app.can_edit);
  if (app.paid_at) return false;
  return !app.first_review || app.first_review.result === 'N';
}

/** One review in one cell: its result, then who decided and when. */
function reviewCell(key, prefix) {
  return {
    label: t(`app.col_${prefix}_result`),
    render: (a) => {
      const review = a[key];
      if (!review?.result) return '';
      const by = [review.reviewer, formatDateTime(review.reviewed_at)].filter(Boolean).join(' · ');
      return h('span', { class: 'review-cell', testid: `app-${prefix}-review` }, resultBadge(review.result),
        by ? h('span', { class: 'cell-sub muted' }, by) : null);
    },
  };
}

function detail(app) {
  const certs = app.certificates || [];
  const notes = [
    app.first_review?.note && `${t('app.first_note')}：${app.first_review.note}`,
    app.second_review?.note && `${t('app.second_note')}：${app.second_review.note}`,
    app.invalid_reason && pick(app.invalid_reason, app.invalid_reason_en),
    app.capped && t('app.capped', { full: formatMoney(app.standard_amount) }),
    ...(app.flags || []).map((f) => t(`flag.${f}`)),
  ].filter(Boolean);
  return h('details', { class: 'app-detail', testid: 'app-detail' },
    h('summary', {}, t('app.detail')),
    h('ul', {}, certs.map((c) => h('li', { 'data-id': c.certificate_id ?? c.id },
      [c.entry_name, c.level_name, formatDate(c.issued_on)].filter(Boolean).join(' · ')))),
    notes.map((n) => h('p', { class: 'note' }, n)),
    app.paid_at ? h('p', {}, `${t('app.paid_at')}：${formatDateTime(app.paid_at)}`) : null);
}

export function bankCell(app) {
  const b = app.bank_account;
  if (!b) return h('span', { class: 'muted', testid: 'app-bank' }, t('app.no_bank'));
  const other = b.method === 'other' ? t(b.other_acknowledged ? 'app.bank_other_ok' : 'app.bank_other_pending') : null;
  return h('span', { testid: 'app-bank', 'data-method': b.method }, [b.code, b.account_masked, b.account_name, other].filter(Boolean).join(' '));
}

/**
 * applicationTable({rows, testid, rowTestid, showStudent, reviews, lead(row), actions(row)})
 * lead: an optional first cell (e.g. a checkbox); actions: a last cell; reviews: which review
 * columns to show (the first review's screen leaves out the second review, never done yet).
 */
export function applicationTable({ rows, testid = 'app-table', rowTestid = 'app-row', showStudent = true, reviews = ['first', 'second'], lead, leadLabel, actions }) {
  const columns = [
    lead && { label: leadLabel || t('common.select'), render: lead, class: 'col-select' },
    { label: t('app.col_year'), render: (a) => academicYearLabel(a.academic_year) },
    showStudent && { label: t('app.col_student'), render: studentLabel },
    showStudent && { label: t('app.col_dept'), render: (a) => [deptLabel(a.dept), a.class].filter(Boolean).join(' ') },
    { label: t('app.col_standard'), render: (a) => a.label },
    { label: t('app.col_amount'), render: (a) => formatMoney(a.amount) },
    { label: t('app.col_status'), render: (a) => applicationBadge(a.status, a.status_label, 'app-status', a.status_label_en) },
    ...reviews.map((r) => reviewCell(`${r}_review`, r)),
    { label: t('app.col_count'), render: (a) => String(a.certificate_count ?? (a.certificates || []).length) },
    { label: t('app.col_detail'), render: detail },
    { label: t('app.col_bank'), render: bankCell },
    actions && { label: t('common.actions'), render: actions },
  ].filter(Boolean);
  return table({
    testid, columns, rows, empty: t('app.empty'),
    rowAttrs: (a) => ({ testid: rowTestid, 'data-id': a.id, 'data-status': a.status }),
  });
}
