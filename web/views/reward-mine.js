// Student: my reward applications and their history (歷年證照獎勵申請查詢),
// with edit / delete while allowed and the bank-account form.
import { h, replace, field, select, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf, cursorOf } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions } from '../format.js';
import { applicationTable, ownerCanChange } from '../components/application-table.js';
import { confirmButton } from '../components/confirm-button.js';

export function render(root, ctx) {
  const message = messageRegion('app-list-message');
  const holder = h('div', { class: 'list-holder' });
  const year = select({ name: 'year', testid: 'mine-year' }, academicYearOptions(), { empty: t('common.all_years') });
  const more = h('button', { type: 'button', class: 'btn', testid: 'app-more', hidden: true }, t('common.more'));
  let rows = [];
  let cursor = null;

  function actions(app) {
    const box = h('div', { class: 'row-actions' });
    const id = encodeURIComponent(app.id);
    if (app.status === 'needs_fix') {
      box.append(h('a', { class: 'btn btn-small btn-primary', href: `#/rewards/applications/${id}/bank`, testid: 'app-bank-fix' }, t('app.bank_fix')));
    }
    if (ownerCanChange(app)) {
      box.append(
        h('a', { class: 'btn btn-small', href: `#/rewards/applications/${id}/bank`, testid: 'app-bank-edit' }, t('app.bank_account')),
        h('a', { class: 'btn btn-small', href: `#/rewards/applications/${id}/edit`, testid: 'app-edit' }, t('common.edit')),
        confirmButton({
          label: t('common.delete'), question: t('app.delete_question'), testid: 'app-delete', className: 'btn btn-small btn-danger',
          onConfirm: async () => {
            try {
              await api(`/api/rewards/applications/${id}`, { method: 'DELETE' });
              ctx.flash.show(t('app.deleted'), 'success');
              load();
            } catch (err) {
              message.show(err.message, 'error');
            }
          },
        }));
    }
    return box;
  }

  async function load(append = false) {
    try {
      const answer = await api('/api/rewards/applications', { query: { year: year.value, limit: 50, cursor: append ? cursor : null } });
      rows = append ? rows.concat(itemsOf(answer)) : itemsOf(answer);
      cursor = cursorOf(answer);
      replace(holder, applicationTable({ rows, showStudent: false, actions }));
      more.hidden = !cursor;
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  year.addEventListener('change', () => load());
  more.addEventListener('click', () => busy(more, () => load(true)));
  root.append(
    pageTitle(t('app.mine_title'), h('a', { class: 'btn btn-primary', href: '#/rewards/apply', testid: 'app-new' }, t('nav.rewards_apply'))),
    h('ul', { class: 'notes' }, h('li', {}, t('app.note_bank')), h('li', {}, t('app.note_edit')), h('li', {}, t('app.note_change')), h('li', {}, t('app.note_rules'))),
    h('div', { class: 'filters' }, field(t('query.year'), year)),
    message.el, holder, more);
  load();
}
