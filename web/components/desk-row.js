// One certificate on the review desk: a compact line (student, certificate,
// status with age and due date, rules summary, the decision controls valid for
// it and its own result line) and, expanded, the checklist, the grouped duplicate
// matches with both scans side by side, the original and the history.
// Each item is its own <tbody> (testid queue-row) so its two lines stay together.
import { deptLabel } from './departments.js';
import { h, uid } from '../dom.js';
import { t, codeLabel, pick } from '../i18n.js';
import { formatDate, formatDateTime, statusBadge, studentLabel } from '../format.js';
import { checklist, scanCell } from './queue-table.js';
import { duplicateGroups } from './duplicate-groups.js';
import { failedRules } from './decision-rules.js';

function studentCell(row) {
  return [h('span', { class: 'desk-student' }, studentLabel(row)),
    h('span', { class: 'desk-sub' }, deptLabel(row.dept))];
}

function entryCell(row, categoryName) {
  return [h('span', { class: 'desk-entry' }, pick(row.entry_name, row.entry_name_en), row.level_name ? ` ${row.level_name}` : ''),
    h('span', { class: 'desk-sub' }, categoryName(row.category))];
}

function ageLine(row) {
  const parts = [];
  if (row.age_days !== undefined && row.age_days !== null) parts.push(t('queue.days', { n: row.age_days }));
  if (row.due_on) parts.push(t('queue.due_on', { date: formatDate(row.due_on) }));
  const overdue = row.overdue ? h('span', { class: 'badge badge-overdue', testid: 'queue-overdue' }, t('queue.overdue')) : null;
  return h('span', { class: 'desk-sub', testid: 'queue-age' }, parts.join(' · '), overdue ? ' ' : '', overdue);
}

/** "Original checked (date)": a button that shows the centre's scan when the viewer may open it. */
function statusCell(row, openOriginal) {
  const badge = statusBadge(row.status, row.status_label, 'queue-status', row.status_label_en);
  const text = row.original_checked_at ? t('queue.original_checked', { at: formatDate(row.original_checked_at) }) : null;
  let original = null;
  if (text && row.original_url && openOriginal) {
    original = h('button', {
      type: 'button', class: 'link-button desk-sub', testid: 'queue-original', 'data-viewable': 'true',
      'aria-label': `${text} — ${t('queue.view_original')}`, onClick: () => openOriginal(row),
    }, text);
  } else if (text) {
    original = h('span', { class: 'desk-sub', testid: 'queue-original' }, text);
  }
  return [badge, ageLine(row), original];
}

/** ✓ all rules, or ✗ the failed ones by name, plus the number of duplicate matches. */
function rulesSummary(row) {
  const failed = failedRules(row);
  const bundle = (row.checklist || []).some((c) => c.rule === 'bundle' && !c.passed);
  const matches = duplicateGroups(row.flags).length;
  const names = [...failed, ...(bundle ? ['bundle'] : [])].map((r) => codeLabel('rule', r, r));
  return h('span', { class: ['rules-summary', names.length ? 'rule-fail' : 'rule-pass'], testid: 'queue-rules', 'data-failed': failed.join(' ') },
    names.length ? `✗ ${names.join('、')}` : `✓ ${t('queue.rules_ok')}`,
    matches ? h('span', { class: 'desk-sub', testid: 'queue-match-count' }, t('queue.matches', { n: matches })) : null);
}

function historyList(row) {
  if (!row.last_decision) return h('p', { class: 'muted' }, t('queue.no_history'));
  return h('p', { testid: 'queue-history' }, t('queue.history_line', {
    decision: t(`decision.${row.last_decision}`), by: row.decided_by || '', at: formatDateTime(row.decided_at),
  }));
}

function originalLink(row, openOriginal) {
  if (!row.original_url) return null;
  return h('button', { type: 'button', class: 'btn btn-small', testid: 'queue-view-original', onClick: () => openOriginal(row) },
    t('queue.view_original'));
}

function detailBody(row, { openOriginal, matchCard }) {
  const groups = duplicateGroups(row.flags);
  return h('div', { class: 'desk-detail-grid' },
    h('section', {}, h('h3', {}, t('queue.col_checklist')), checklist(row.checklist)),
    h('section', {}, h('h3', {}, t('queue.col_scan')), h('div', { class: 'scan-pair' }, scanCell(row), originalLink(row, openOriginal))),
    groups.length ? h('section', { class: 'desk-matches', testid: 'queue-flags' }, h('h3', {}, t('queue.col_flags')),
      groups.map((g) => matchCard(row, g))) : null,
    h('section', {}, h('h3', {}, t('queue.history')), historyList(row),
      h('p', { class: 'desk-sub' }, t('queue.issued_no', { date: formatDate(row.issued_on), no: row.certificate_no || '—' }))));
}

/**
 * deskRow(row, {select, decision, categoryName, openOriginal, matchCard, expanded, onToggle}) -> <tbody>
 * `decision(row)` builds the decision cell (controls and the row's result line).
 */
export function deskRow(row, opts) {
  const detailId = uid('detail');
  const toggle = h('button', {
    type: 'button', class: 'btn btn-small btn-ghost', testid: 'queue-expand', 'aria-expanded': String(Boolean(opts.expanded)),
    'aria-controls': detailId, 'aria-label': t('queue.expand_of', { name: `${studentLabel(row)} ${pick(row.entry_name, row.entry_name_en)}` }),
  }, opts.expanded ? '▴' : '▾');
  const detail = h('tr', { class: 'desk-detail', id: detailId, hidden: !opts.expanded },
    h('td', { colspan: 7 }, opts.expanded ? detailBody(row, opts) : null));
  toggle.addEventListener('click', () => opts.onToggle(row));
  const cells = [
    [opts.select(row), 'col-select', t('common.select')],
    [studentCell(row), 'col-student', t('queue.col_student')],
    [entryCell(row, opts.categoryName), 'col-entry', t('queue.col_entry')],
    [statusCell(row, opts.openOriginal), 'col-status', t('queue.col_status')],
    [rulesSummary(row), 'col-rules', t('queue.col_checklist')],
    [opts.decision(row), 'col-actions', t('common.actions')],
    [toggle, 'col-expand', t('queue.details')],
  ];
  const main = h('tr', { class: 'desk-main' }, cells.map(([v, cls, label]) => h('td', { class: cls, 'data-label': label }, h('div', { class: 'cell' }, v))));
  return h('tbody', {
    class: ['desk-item', row.overdue && 'is-overdue'], testid: 'queue-row', 'data-id': row.certificate_id, 'data-status': row.status,
  }, main, detail);
}

export const DESK_COLUMNS = ['common.select', 'queue.col_student', 'queue.col_entry', 'queue.col_status', 'queue.col_checklist',
  'common.actions', 'queue.details'];
