// Student: change a reward application while allowed (PATCH
// /api/rewards/applications/{id} {standard_id, certificate_ids}). Changing a
// used certificate = untick it, tick an unused one, save.
import { h, replace, field, select, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t } from '../i18n.js';
import { applicationBadge, formatMoney } from '../format.js';

export function render(root, ctx) {
  const id = ctx.params.id;
  const message = messageRegion('form-message');
  const standardSelect = select({ name: 'standard_id', testid: 'app-edit-standard' }, []);
  const certBox = h('fieldset', { class: 'check-fieldset' });
  const counter = h('p', { class: 'counter', 'aria-live': 'polite', testid: 'app-edit-counter' });
  const submit = h('button', { type: 'button', class: 'btn btn-primary', testid: 'app-edit-submit' }, t('common.save'));
  const head = h('div', { class: 'status-line' });
  let options = []; // [{standard, certificates}]
  let checkboxes = [];

  function current() {
    return options.find((o) => String(o.standard.id) === standardSelect.value) || options[0];
  }

  function drawCertificates(preticked) {
    const option = current();
    if (!option) return;
    const need = Number(option.standard.required_count) || 1;
    checkboxes = option.certificates.map((c) => ({
      cert: c,
      box: h('input', {
        type: 'checkbox', id: `edit-cert-${c.certificate_id}`, testid: 'app-edit-cert', 'data-id': c.certificate_id,
        checked: preticked.has(String(c.certificate_id)),
      }),
    }));
    const update = () => {
      const n = checkboxes.filter((x) => x.box.checked).length;
      replace(counter, t('apply.counter', { n, need }));
      submit.disabled = n !== need;
    };
    checkboxes.forEach((x) => x.box.addEventListener('change', update));
    replace(certBox, h('legend', {}, t('apply.pick_certificates', { need })),
      h('ul', { class: 'check-list' }, checkboxes.map(({ cert, box }) => h('li', {}, box,
        h('label', { for: box.id }, [cert.entry_name, cert.level_name].filter(Boolean).join(' · '),
          cert.in_use ? h('span', { class: 'tag' }, ` ${t('app.in_use')}`) : null)))));
    update();
  }

  submit.addEventListener('click', () => busy(submit, async () => {
    message.clear();
    try {
      await api(`/api/rewards/applications/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        json: { standard_id: current().standard.id, certificate_ids: checkboxes.filter((x) => x.box.checked).map((x) => x.cert.certificate_id) },
      });
      ctx.flashNext(t('app.saved'), 'success');
      ctx.navigate('/rewards/mine');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  root.append(pageTitle(t('app.edit_title')), head, message.el,
    h('div', { class: 'form-grid' }, field(t('app.col_standard'), standardSelect, { wide: true })),
    certBox, counter,
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/rewards/mine' }, t('common.cancel'))));

  Promise.all([api(`/api/rewards/applications/${encodeURIComponent(id)}`), api('/api/rewards/eligible').then(itemsOf, () => [])])
    .then(([app, eligible]) => {
      replace(head, app.label, ' ', applicationBadge(app.status, app.status_label, 'app-status', app.status_label_en));
      const own = (app.certificates || []).map((c) => ({ ...c, certificate_id: c.certificate_id ?? c.id, in_use: true }));
      const ownStandard = {
        id: app.standard_id, label: app.label, amount: app.amount,
        required_count: app.required_count ?? app.certificate_count ?? own.length,
      };
      const merged = new Map();
      merged.set(String(ownStandard.id), { standard: ownStandard, certificates: [] });
      for (const item of eligible) merged.set(String(item.standard.id), { standard: item.standard, certificates: [...(item.certificates || [])] });
      options = [...merged.values()].map((o) => {
        const ids = new Set(o.certificates.map((c) => String(c.certificate_id)));
        return { ...o, certificates: [...own.filter((c) => !ids.has(String(c.certificate_id))), ...o.certificates] };
      });
      replace(standardSelect, options.map((o) => h('option', { value: o.standard.id },
        `${o.standard.label}（${formatMoney(o.standard.amount)}）`)));
      standardSelect.value = String(ownStandard.id);
      const preticked = new Set(own.map((c) => String(c.certificate_id)));
      standardSelect.addEventListener('change', () => drawCertificates(preticked));
      drawCertificates(preticked);
    })
    .catch((err) => message.show(err.message, 'error'));
}
