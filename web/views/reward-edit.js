// Student: change the certificates of a reward application while allowed
// (PATCH /api/rewards/applications/{id} {certificate_ids}). Changing a used
// certificate = untick it, tick an unused one, save. The standard stays; to
// apply for another standard, delete this application and apply again.
import { h, replace, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { applicationBadge, formatMoney } from '../format.js';

export function render(root, ctx) {
  const id = ctx.params.id;
  const message = messageRegion('form-message');
  const head = h('div', { class: 'status-line' });
  const certBox = h('fieldset', { class: 'check-fieldset' });
  const counter = h('p', { class: 'counter', 'aria-live': 'polite', testid: 'app-edit-counter' });
  const submit = h('button', { type: 'button', class: 'btn btn-primary', testid: 'app-edit-submit', disabled: true }, t('common.save'));
  let checkboxes = [];

  function draw(candidates, need) {
    checkboxes = candidates.map((c) => ({
      cert: c,
      box: h('input', { type: 'checkbox', id: `edit-cert-${c.certificate_id}`, testid: 'app-edit-cert', 'data-id': c.certificate_id, checked: c.in_use }),
    }));
    const update = () => {
      const n = checkboxes.filter((x) => x.box.checked).length;
      replace(counter, t('apply.counter', { n, need }));
      counter.classList.toggle('counter-ok', n === need);
      submit.disabled = n !== need;
    };
    checkboxes.forEach((x) => x.box.addEventListener('change', update));
    replace(certBox, h('legend', {}, t('apply.pick_certificates', { need })),
      h('ul', { class: 'check-list' }, checkboxes.map(({ cert, box }) => h('li', {}, box,
        h('label', { for: box.id }, [pick(cert.entry_name, cert.entry_name_en), cert.level_name].filter(Boolean).join(' · '),
          cert.in_use ? h('span', { class: 'tag' }, ` ${t('app.in_use')}`) : null)))));
    update();
  }

  submit.addEventListener('click', () => busy(submit, async () => {
    message.clear();
    try {
      await api(`/api/rewards/applications/${encodeURIComponent(id)}`, {
        method: 'PATCH', json: { certificate_ids: checkboxes.filter((x) => x.box.checked).map((x) => x.cert.certificate_id) },
      });
      ctx.flashNext(t('app.saved'), 'success');
      ctx.navigate('/rewards/mine');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  root.append(pageTitle(t('app.edit_title')), head, h('p', { class: 'lead' }, t('app.note_change')), message.el,
    certBox, counter,
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/rewards/mine', testid: 'app-edit-cancel' }, t('common.cancel'))));

  Promise.all([api(`/api/rewards/applications/${encodeURIComponent(id)}`), api('/api/rewards/eligible').then(itemsOf, () => [])])
    .then(([app, eligible]) => {
      replace(head, h('strong', {}, app.label), `（${formatMoney(app.amount)}）`, ' ',
        applicationBadge(app.status, app.status_label, 'app-status', app.status_label_en));
      if (app.can_edit === false) {
        message.show(t('app.read_only'), 'error');
      }
      const own = (app.certificates || []).map((c) => ({ ...c, certificate_id: c.certificate_id ?? c.id, in_use: true }));
      const ownIds = new Set(own.map((c) => String(c.certificate_id)));
      const same = eligible.find((item) => String(item.standard.id) === String(app.standard_id));
      const unused = (same?.certificates || []).filter((c) => !ownIds.has(String(c.certificate_id)));
      const need = Number(same?.standard.required_count ?? app.required_count ?? own.length) || 1;
      draw([...own, ...unused], need);
    })
    .catch((err) => message.show(err.message, 'error'));
}
