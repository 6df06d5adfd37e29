// Reviewer / centre: the department review queue with rule checklists, the
// scan viewer, single decisions (POST /api/review/{id}/decision) and bulk
// decisions on ticked rows (POST /api/review/decisions). Each decision names the
// version the row showed; a certificate changed since is refused (409
// certificate_changed) and the list is loaded again.
import { h, replace, field, select, messageRegion, busy, pageTitle, uid } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { DECISIONS } from '../format.js';
import { queueTable } from '../components/queue-table.js';
import { queueFilters, queuePager } from '../components/queue-filters.js';
import { categoryNamer } from '../components/categories.js';

/** A reason is needed to reject, and to pass an item whose (blocking) rules failed. */
function reasonNeeded(row, decision) {
  if (decision === 'rejected' || decision === 'rereview') return true;
  return (row?.checklist || []).some((c) => !c.passed && c.rule !== 'duplicates'); // duplicates only flag
}

function bulkResultErrors(answer) {
  const results = Array.isArray(answer) ? answer : (answer?.results || []);
  return results.filter((r) => r && r.error).map((r) => `${r.certificate_id}: ${r.error.message || r.error.code}`);
}

export function render(root, ctx) {
  const message = messageRegion('queue-message');
  const holder = h('div', { class: 'list-holder' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'queue-more', hidden: true }, t('common.more'));
  const selected = new Set();
  let rows = [];
  let nameCategory = (c) => c;

  const filters = queueFilters({ user: ctx.user, status: ctx.query.get('status') || '', onSearch: () => load() });
  const pager = queuePager(filters.query);

  async function decide(row, decision, reason, button) {
    message.clear();
    if (reasonNeeded(row, decision) && !reason) {
      message.show(t('queue.reason_required'), 'error');
      return;
    }
    await busy(button, async () => {
      try {
        await api(`/api/review/${encodeURIComponent(row.certificate_id)}/decision`, { method: 'POST', json: { decision, reason, version: row.version } });
        message.show(t('queue.decided', { name: row.entry_name, decision: t(`decision.${decision}`) }), 'success');
        await load();
      } catch (err) {
        message.show(err.message, 'error');
        if (err.code === 'certificate_changed') await load();
      }
    });
  }

  function decisionCell(row) {
    if (row.decision_pending) {
      // Decided here; the certificate's status follows through an event shortly.
      return h('p', { class: 'muted', testid: 'decision-pending', 'data-decision': row.last_decision || '' },
        t('queue.decision_pending', { decision: row.last_decision ? t(`decision.${row.last_decision}`) : '' }));
    }
    const reason = h('input', { type: 'text', id: uid('reason'), testid: 'decision-reason', class: 'reason-input' });
    const buttons = DECISIONS.map((d) => {
      const b = h('button', { type: 'button', class: ['btn', 'btn-small', `decision-${d}`], testid: `decision-${d}`, 'data-decision': d }, t(`decision.${d}`));
      b.addEventListener('click', () => decide(row, d, reason.value.trim(), b));
      return b;
    });
    return h('div', { class: 'decision-box' },
      h('label', { for: reason.id, class: 'small-label' }, t('queue.reason')), reason,
      h('div', { class: 'row-actions' }, buttons));
  }

  function selectCell(row) {
    const id = String(row.certificate_id);
    if (row.decision_pending) return '';
    return h('input', {
      type: 'checkbox', testid: 'queue-select', 'data-id': id, checked: selected.has(id),
      'aria-label': t('queue.select_row', { name: `${row.student_name || ''} ${row.entry_name}` }),
      onChange: (e) => (e.target.checked ? selected.add(id) : selected.delete(id)),
    });
  }

  function draw() {
    replace(holder, queueTable({ rows, select: selectCell, actions: decisionCell, categoryName: nameCategory }));
    more.hidden = !pager.hasMore();
  }

  async function load(reset = true) {
    try {
      rows = await pager.load(reset);
      const ids = new Set(rows.map((r) => String(r.certificate_id)));
      [...selected].forEach((id) => ids.has(id) || selected.delete(id));
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  const bulkDecision = select({ name: 'bulk_decision', testid: 'bulk-decision' }, DECISIONS.map((d) => ({ value: d, label: t(`decision.${d}`) })));
  const bulkReason = h('input', { type: 'text', name: 'bulk_reason', testid: 'bulk-reason' });
  const selectAll = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'queue-select-all' }, t('queue.select_all'));
  const bulkSubmit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'bulk-submit' }, t('queue.bulk_submit'));
  selectAll.addEventListener('click', () => {
    const open = rows.filter((r) => !r.decision_pending);
    const all = open.length && open.every((r) => selected.has(String(r.certificate_id)));
    open.forEach((r) => (all ? selected.delete(String(r.certificate_id)) : selected.add(String(r.certificate_id))));
    draw();
  });
  const bulkForm = h('form', { class: 'bulk-bar', testid: 'bulk-form', 'aria-label': t('queue.bulk') },
    selectAll, field(t('queue.bulk_decision'), bulkDecision), field(t('queue.reason'), bulkReason), bulkSubmit);
  bulkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    const chosen = rows.filter((r) => selected.has(String(r.certificate_id)) && !r.decision_pending);
    const decision = bulkDecision.value;
    const reason = bulkReason.value.trim();
    if (!chosen.length) return message.show(t('queue.none_selected'), 'error');
    if (!reason && chosen.some((r) => reasonNeeded(r, decision))) return message.show(t('queue.reason_required'), 'error');
    return busy(bulkSubmit, async () => {
      try {
        const answer = await api('/api/review/decisions', {
          method: 'POST', json: chosen.map((r) => ({ certificate_id: r.certificate_id, decision, reason, version: r.version })),
        });
        const errors = bulkResultErrors(answer);
        selected.clear();
        await load();
        if (errors.length) message.show(`${t('queue.bulk_partial')} ${errors.join('；')}`, 'error');
        else message.show(t('queue.bulk_done', { n: chosen.length }), 'success');
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  });

  more.addEventListener('click', () => busy(more, () => load(false)));
  root.append(pageTitle(t('queue.title')), h('p', { class: 'lead' }, t('queue.intro')),
    filters.el, message.el, bulkForm, holder, more);
  filters.categories.then((list) => {
    nameCategory = categoryNamer(list);
    if (rows.length) draw();
  });
  load();
}
