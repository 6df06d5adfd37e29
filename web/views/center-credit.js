// Centre: credit waivers (抵免). Items in credit_pending become approved once
// the registrar has recorded the credit: POST /api/review/{id}/decision
// {"decision": "approved", "reason": "registrar recorded", "version"} (the
// version the row showed).
import { h, replace, messageRegion, busy, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t, pick } from '../i18n.js';
import { queueTable } from '../components/queue-table.js';
import { queueFilters, queuePager } from '../components/queue-filters.js';
import { categoryNamer } from '../components/categories.js';

const REGISTRAR_REASON = 'registrar recorded';

export function render(root, ctx) {
  const message = messageRegion('credit-message');
  const holder = h('div', { class: 'list-holder' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'queue-more', hidden: true }, t('common.more'));
  let rows = [];
  let nameCategory = (c) => c;
  const filters = queueFilters({ user: ctx.user, fixedStatus: 'credit_pending', onSearch: () => load() });
  const pager = queuePager(filters.query);

  function completeCell(row) {
    const button = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'credit-complete' }, t('credit.complete'));
    button.addEventListener('click', () => busy(button, async () => {
      message.clear();
      try {
        await api(`/api/review/${encodeURIComponent(row.certificate_id)}/decision`, {
          method: 'POST', json: { decision: 'approved', reason: REGISTRAR_REASON, version: row.version },
        });
        message.show(t('credit.done', { name: pick(row.entry_name, row.entry_name_en) }), 'success');
        await load();
      } catch (err) {
        message.show(err.message, 'error');
      }
    }));
    return button;
  }

  function draw() {
    replace(holder, queueTable({ rows, rowTestid: 'credit-row', testid: 'credit-table', actions: completeCell, categoryName: nameCategory }));
    more.hidden = !pager.hasMore();
  }

  async function load(reset = true) {
    try {
      rows = await pager.load(reset);
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  more.addEventListener('click', () => busy(more, () => load(false)));
  root.append(pageTitle(t('credit.title')), h('p', { class: 'lead' }, t('credit.intro')), filters.el, message.el, holder, more);
  filters.categories.then((list) => {
    nameCategory = categoryNamer(list);
    if (rows.length) draw();
  });
  load();
}
