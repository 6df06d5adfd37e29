// Centre: items past their track's SLA across departments (GET /api/review/queue?overdue=true&sort=due),
// soonest due first; the same list notify mails to the centre every morning.
import { deptLabel } from '../components/departments.js';
import { h, replace, table, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf, cursorOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatDate, statusBadge, studentLabel } from '../format.js';

export function render(root) {
  const message = messageRegion('overdue-message');
  const holder = h('div', { class: 'list-holder' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'overdue-more', hidden: true }, t('common.more'));
  let rows = [];
  let cursor = null;

  function draw() {
    replace(holder, table({
      testid: 'overdue-table',
      caption: t('overdue.caption', { n: rows.length }),
      empty: t('overdue.empty'),
      rows,
      rowAttrs: (r) => ({ testid: 'overdue-row', 'data-id': r.certificate_id, class: 'overdue' }),
      columns: [
        { label: t('overdue.col_dept'), render: (r) => deptLabel(r.dept) },
        { label: t('overdue.col_student'), render: (r) => studentLabel(r) },
        { label: t('overdue.col_entry'), render: (r) => [pick(r.entry_name, r.entry_name_en), r.level_name].filter(Boolean).join(' ') },
        { label: t('overdue.col_status'), render: (r) => statusBadge(r.status, '', 'overdue-status') },
        { label: t('overdue.col_age'), render: (r) => t('overdue.days', { n: r.age_days }) },
        { label: t('overdue.col_due'), render: (r) => h('strong', { class: 'overdue-date', testid: 'overdue-due' }, formatDate(r.due_on)) },
      ],
    }));
    more.hidden = !cursor;
  }

  async function load(append = false) {
    try {
      const answer = await api('/api/review/queue', { query: { overdue: 'true', sort: 'due', limit: 100, cursor: append ? cursor : null } });
      rows = append ? rows.concat(itemsOf(answer)) : itemsOf(answer);
      cursor = cursorOf(answer);
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  more.addEventListener('click', () => busy(more, () => load(true)));
  root.append(pageTitle(t('overdue.title')), h('p', { class: 'lead' }, t('overdue.intro')), message.el, holder, more);
  load();
}
