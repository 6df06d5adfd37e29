// Reviewer / centre: the review desk. One compact line per certificate (expand
// for checklist, scans, duplicate matches and history), only the decisions
// valid for the item, and every result or error shown at its row.
// Single decisions: POST /api/review/{id}/decision; ticked rows: POST /api/review/decisions.
// Each decision names the version the row showed (409 certificate_changed reloads that row).
// Rows whose decision is still being applied are looked at again every few seconds.
import { h, replace, field, select, messageRegion, busy, pageTitle } from '../dom.js';
import { autoRefresh } from '../components/auto-refresh.js';
import { api } from '../api.js';
import { t, pick } from '../i18n.js';
import { queueFilters, queuePager } from '../components/queue-filters.js';
import { categoryNamer } from '../components/categories.js';
import { deskRow, DESK_COLUMNS } from '../components/desk-row.js';
import { decisionCell } from '../components/decision-cell.js';
import { matchCard } from '../components/duplicate-groups.js';
import { openScanViewer } from '../components/scan-viewer.js';
import { allowedDecisions, loadReasonCodes, loadTracks, reasonNeeded } from '../components/decision-rules.js';
import { outcomeText } from '../components/decision-outcome.js';

const POLL_MS = 5000;

export function render(root, ctx) {
  const message = messageRegion('queue-message');
  const holder = h('div', { class: 'table-wrap desk-wrap', tabindex: '0' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'queue-more', hidden: true }, t('common.more'));
  const selected = new Set();
  const expanded = new Set();
  const states = new Map(); // certificate id -> {kind, text}: the row's result line
  const isCenter = ctx.user.roles.includes('center');
  let rows = [];
  let tracks = {};
  let reasonCodes = null;
  let nameCategory = (c) => c;

  const filters = queueFilters({ user: ctx.user, status: ctx.query.get('status') || '', onSearch: () => load() });
  const pager = queuePager(filters.query);
  const idOf = (row) => String(row.certificate_id);

  async function refreshRow(id) {
    try {
      const fresh = await api(`/api/review/${encodeURIComponent(id)}`);
      rows = rows.map((r) => (idOf(r) === id ? fresh : r));
    } catch { /* gone from this reviewer's view: keep the line with its result */ }
  }

  function sendable(row, decision, reason) {
    if (!allowedDecisions(row, tracks[row.track], isCenter).includes(decision)) return t('queue.not_valid_now');
    if (reasonNeeded(row, decision) && !reason) return t('queue.reason_required');
    return null;
  }

  async function decide(row, decision, { reason, reason_code: reasonCode }, button) {
    const id = idOf(row);
    const refused = sendable(row, decision, reason);
    if (refused) {
      states.set(id, { kind: 'error', text: refused });
      return draw(id);
    }
    await busy(button, async () => {
      try {
        const body = { decision, reason, version: row.version, ...(reasonCode ? { reason_code: reasonCode } : {}) };
        const answer = await api(`/api/review/${encodeURIComponent(id)}/decision`, { method: 'POST', json: body });
        states.set(id, { kind: 'success', text: outcomeText(row, answer) });
        selected.delete(id);
        await refreshRow(id);
      } catch (err) {
        states.set(id, { kind: 'error', text: err.message });
        if (err.code === 'certificate_changed') await refreshRow(id);
      }
    });
    draw(id);
  }

  function selectCell(row) {
    const id = idOf(row);
    if (!allowedDecisions(row, tracks[row.track], isCenter).length) return '';
    return h('input', {
      type: 'checkbox', testid: 'queue-select', 'data-id': id, checked: selected.has(id),
      'aria-label': t('queue.select_row', { name: `${row.student_name || ''} ${pick(row.entry_name, row.entry_name_en)}` }),
      onChange: (e) => (e.target.checked ? selected.add(id) : selected.delete(id)),
    });
  }

  function toggle(row) {
    const id = idOf(row);
    if (expanded.has(id)) expanded.delete(id); else expanded.add(id);
    draw(id, 'queue-expand');
  }

  const openOriginal = (row) => openScanViewer(row.original_url, `${t('queue.original')} — ${pick(row.entry_name, row.entry_name_en)}`);
  const rowOptions = (row) => ({
    select: selectCell, categoryName: nameCategory, openOriginal, matchCard, expanded: expanded.has(idOf(row)), onToggle: toggle,
    decision: (r) => decisionCell(r, { track: tracks[r.track], isCenter, reasonCodes, state: states.get(idOf(r)), onDecide: decide }),
  });

  /** Redraws the desk; `focusId` keeps the keyboard on the row just used. */
  function draw(focusId, focusTestid = 'row-message') {
    const head = h('thead', {}, h('tr', {}, DESK_COLUMNS.map((k) => h('th', { scope: 'col' }, t(k)))));
    const bodies = rows.map((r) => deskRow(r, rowOptions(r)));
    const empty = rows.length ? null : h('tbody', {}, h('tr', { class: 'empty-row' }, h('td', { colspan: DESK_COLUMNS.length }, t('queue.empty'))));
    replace(holder, h('table', { class: 'responsive desk', testid: 'queue-table' }, head, bodies, empty));
    more.hidden = !pager.hasMore();
    if (focusId) {
      const target = holder.querySelector(`tbody[data-id="${CSS.escape(focusId)}"] [data-testid="${focusTestid}"]`);
      if (target && focusTestid !== 'row-message') target.focus();
      target?.closest('tbody')?.scrollIntoView({ block: 'nearest' });
    }
  }

  let pages = 0;
  /** A refresh keeps the page still: rows stay where they were (a decided row with its result too),
   * rows decided elsewhere leave, new ones are added at the end. */
  function merged(fresh) {
    const byId = new Map(fresh.map((r) => [idOf(r), r]));
    const kept = rows.filter((r) => byId.has(idOf(r)) || states.has(idOf(r))).map((r) => byId.get(idOf(r)) || r);
    const shown = new Set(kept.map(idOf));
    return [...kept, ...fresh.filter((r) => !shown.has(idOf(r)))];
  }

  async function load(reset = true, { keepStates = false } = {}) {
    try {
      const fresh = await pager.load(reset);
      rows = keepStates ? merged(fresh) : fresh;
      pages = reset ? 1 : pages + 1;
      const ids = new Set(rows.map(idOf));
      [...selected].forEach((id) => ids.has(id) || selected.delete(id));
      if (reset && !keepStates) states.clear();
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  const bulkDecision = select({ name: 'bulk_decision', testid: 'bulk-decision' },
    ['approved', 'rejected', 'rereview'].map((d) => ({ value: d, label: t(`decision.${d}`) })));
  const bulkReason = h('input', { type: 'text', name: 'bulk_reason', testid: 'bulk-reason', maxlength: '500' });
  const selectAll = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'queue-select-all' }, t('queue.select_all'));
  const bulkSubmit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'bulk-submit' }, t('queue.bulk_submit'));
  selectAll.addEventListener('click', () => {
    const open = rows.filter((r) => allowedDecisions(r, tracks[r.track], isCenter).length);
    const all = open.length && open.every((r) => selected.has(idOf(r)));
    open.forEach((r) => (all ? selected.delete(idOf(r)) : selected.add(idOf(r))));
    draw();
  });
  const bulkForm = h('form', { class: 'bulk-bar', testid: 'bulk-form', 'aria-label': t('queue.bulk') },
    selectAll, field(t('queue.bulk_decision'), bulkDecision), field(t('queue.reason'), bulkReason), bulkSubmit);

  /** Sends the ticked rows that can take the decision; the others get their reason at the row and stay ticked. */
  async function sendBulk(decision, reason) {
    const chosen = rows.filter((r) => selected.has(idOf(r)));
    const ready = [];
    for (const r of chosen) {
      const refused = sendable(r, decision, reason);
      if (refused) states.set(idOf(r), { kind: 'error', text: refused });
      else ready.push(r);
    }
    if (ready.length) {
      const answer = await api('/api/review/decisions', {
        method: 'POST', json: ready.map((r) => ({ certificate_id: r.certificate_id, decision, reason, version: r.version })),
      });
      await applyBulkResults(ready, answer?.results || []);
    }
    const failed = chosen.length - ready.length + ready.filter((r) => states.get(idOf(r))?.kind === 'error').length;
    message.show(t('queue.bulk_summary', { ok: chosen.length - failed, failed }), failed ? 'error' : 'success');
    draw();
  }

  async function applyBulkResults(sent, results) {
    const byId = new Map(sent.map((r) => [idOf(r), r]));
    for (const [index, result] of results.entries()) {
      const id = String(result.certificate_id || idOf(sent[index]));
      const row = byId.get(id);
      if (result.ok) {
        states.set(id, { kind: 'success', text: outcomeText(row, result) });
        selected.delete(id);
      } else {
        states.set(id, { kind: 'error', text: pick(result.error?.message, result.error?.message_en) || t('error.generic') });
      }
    }
    await Promise.all([...byId.keys()].map(refreshRow));
  }

  bulkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    if (!selected.size) return message.show(t('queue.none_selected'), 'error');
    return busy(bulkSubmit, () => sendBulk(bulkDecision.value, bulkReason.value.trim()).catch((err) => message.show(err.message, 'error')));
  });

  const timer = setInterval(async () => {
    const pending = rows.filter((r) => r.decision_pending).map(idOf).slice(0, 20);
    if (!pending.length || document.hidden || holder.contains(document.activeElement)) return;
    await Promise.all(pending.map(refreshRow));
    draw();
  }, POLL_MS);

  more.addEventListener('click', () => busy(more, () => load(false)));
  root.append(pageTitle(t('queue.title')), h('p', { class: 'lead' }, t('queue.intro')),
    filters.el, message.el, bulkForm, holder, more);
  Promise.all([filters.categories, loadTracks(), loadReasonCodes()]).then(([list, byName, codes]) => {
    nameCategory = categoryNamer(list);
    tracks = byName;
    reasonCodes = codes;
    if (rows.length) draw();
  });
  load();
  // New certificates and other reviewers' decisions arrive by events: the first page is looked at again
  // every ~15 s (not while the reviewer types, has more pages open or waits for an answer).
  const stopRefresh = autoRefresh({
    scope: holder,
    refresh: () => (pages === 1 && !bulkReason.value && !bulkForm.contains(document.activeElement) ? load(true, { keepStates: true }) : undefined),
  });
  return () => {
    clearInterval(timer);
    stopRefresh();
  };
}
