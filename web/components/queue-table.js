// The review queue's table: student, entry, status, age, the rule checklist
// with reasons, duplicate flags and the scan, plus a caller-given action cell.
import { deptLabel } from './departments.js';
import { h, table } from '../dom.js';
import { t, codeLabel, pick } from '../i18n.js';
import { formatDateTime, statusBadge, studentLabel } from '../format.js';
import { blobImage } from './blob-image.js';
import { openScanViewer } from './scan-viewer.js';

export function checklist(items = []) {
  if (!items.length) return h('span', { class: 'muted' }, t('common.none'));
  return h('ul', { class: 'checklist', testid: 'queue-checklist' }, items.map((c) => h('li', {
    class: c.passed ? 'rule-pass' : 'rule-fail', 'data-rule': c.rule, 'data-passed': String(Boolean(c.passed)),
  }, h('span', { class: 'rule-mark', 'aria-hidden': 'true' }, c.passed ? '✓' : '✗'), ' ',
  h('span', { class: 'visually-hidden' }, c.passed ? t('rule.passed') : t('rule.failed')),
  h('strong', {}, codeLabel('rule', c.rule, c.rule)), c.reason || c.reason_en ? `：${pick(c.reason, c.reason_en)}` : '')));
}

export function flagList(flags = []) {
  if (!flags.length) return '';
  return h('ul', { class: 'flags', testid: 'queue-flags' }, flags.map((f) => {
    const code = typeof f === 'string' ? f : (f.code || '');
    const detail = typeof f === 'string' ? '' : pick(f.reason, f.reason_en);
    return h('li', { class: 'badge flag', 'data-flag': code, 'data-other': f.certificate_id || null },
      codeLabel('flag', code, code), detail ? `：${detail}` : '');
  }));
}

export function scanCell(row) {
  const path = row.scan_url || (row.certificate_id ? `/api/certificates/${encodeURIComponent(row.certificate_id)}/scan` : null);
  const title = `${pick(row.entry_name, row.entry_name_en)} — ${studentLabel(row)}`;
  return h('button', {
    type: 'button', class: 'thumb-button', testid: 'queue-view-scan', 'aria-label': t('scan.view_of', { name: title }),
    onClick: () => openScanViewer(path, title),
  }, row.thumbnail_url ? blobImage(row.thumbnail_url, { alt: t('scan.thumbnail_of', { name: pick(row.entry_name, row.entry_name_en) }), testid: 'queue-thumbnail' }) : t('scan.view'));
}

/** The status, and for tracks with an original check whether the centre has scanned it (查證), with the scan. */
function statusCell(row) {
  const badge = statusBadge(row.status, row.status_label, 'queue-status', row.status_label_en);
  if (!row.original_checked_at) return badge;
  const view = row.original_url
    ? h('button', {
      type: 'button', class: 'btn btn-small', testid: 'queue-view-original',
      onClick: () => openScanViewer(row.original_url, `${t('queue.original')} — ${row.entry_name}`),
    }, t('queue.view_original'))
    : null;
  return [badge, h('p', { class: 'muted', testid: 'queue-original' },
    t('queue.original_checked', { at: formatDateTime(row.original_checked_at) })), view];
}

/**
 * queueTable({rows, testid, rowTestid, select(row) -> checkbox, actions(row), categoryName(code)})
 */
export function queueTable({ rows, testid = 'queue-table', rowTestid = 'queue-row', select, actions, categoryName = (c) => c }) {
  const columns = [
    select && { label: t('common.select'), render: select, class: 'col-select' },
    { label: t('queue.col_student'), render: studentLabel },
    { label: t('queue.col_dept'), render: (r) => deptLabel(r.dept) },
    { label: t('queue.col_entry'), render: (r) => pick(r.entry_name, r.entry_name_en) },
    { label: t('queue.col_level'), render: (r) => r.level_name || '' },
    { label: t('queue.col_category'), render: (r) => categoryName(r.category) },
    { label: t('queue.col_status'), render: statusCell },
    { label: t('queue.col_submitted'), render: (r) => formatDateTime(r.submitted_at) },
    { label: t('queue.col_age'), render: (r) => (r.age_days ?? '') === '' ? '' : t('queue.days', { n: r.age_days }) },
    { label: t('queue.col_checklist'), render: (r) => checklist(r.checklist) },
    { label: t('queue.col_flags'), render: (r) => flagList(r.flags) },
    { label: t('queue.col_scan'), render: scanCell },
    actions && { label: t('common.actions'), render: actions, class: 'col-actions' },
  ].filter(Boolean);
  return table({
    testid, columns, rows, empty: t('queue.empty'),
    rowAttrs: (r) => ({ testid: rowTestid, 'data-id': r.certificate_id, 'data-status': r.status }),
  });
}
