// Student: apply for a certificate reward. Eligible standards come from
// GET /api/rewards/eligible; the student ticks exactly required_count unused
// certificates and sends POST /api/rewards/applications.
import { h, replace, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatMoney, formatDate } from '../format.js';
import { windowBanner } from '../components/window-banner.js';

function standardCard(item, { isOpen, message, ctx }) {
  const { standard, certificates = [] } = item;
  const need = Number(standard.required_count) || 1;
  const counter = h('p', { class: 'counter', 'aria-live': 'polite', testid: 'eligible-counter' });
  const submit = h('button', { type: 'button', class: 'btn btn-primary', testid: 'apply-submit', 'data-id': standard.id, disabled: true },
    t('apply.submit'));
  const boxes = certificates.map((c) => h('input', {
    type: 'checkbox', value: c.certificate_id, id: `std-${standard.id}-cert-${c.certificate_id}`,
    testid: 'eligible-cert', 'data-id': c.certificate_id,
  }));
  const ticked = () => certificates.filter((c, i) => boxes[i].checked).map((c) => c.certificate_id);
  // declared by the student; the year's rules may exclude them (the answer says so before anything is saved)
  const flags = ['subsidised', 'threshold'].map((f) => h('input', {
    type: 'checkbox', value: f, id: `std-${standard.id}-flag-${f}`, testid: `apply-flag-${f}`,
  }));

  function update() {
    const n = ticked().length;
    replace(counter, t('apply.counter', { n, need }));
    counter.classList.toggle('counter-ok', n === need);
    submit.disabled = n !== need || isOpen === false;
  }
  boxes.forEach((b) => b.addEventListener('change', update));
  update();

  submit.addEventListener('click', () => busy(submit, async () => {
    message.clear();
    try {
      const application = await api('/api/rewards/applications', {
        method: 'POST', json: { standard_id: standard.id, certificate_ids: ticked(), flags: flags.filter((f) => f.checked).map((f) => f.value) },
      });
      const capped = application?.capped ? ` ${t('apply.capped', { amount: formatMoney(application.amount), full: formatMoney(application.standard_amount) })}` : '';
      if (Number(standard.level) >= 2 && application?.id !== undefined) {
        ctx.flashNext(t('apply.done_bank') + capped, 'success');
        ctx.navigate(`/rewards/applications/${encodeURIComponent(application.id)}/bank`);
      } else {
        ctx.flashNext(t('apply.done') + capped, 'success');
        ctx.navigate('/rewards/mine');
      }
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  const titleId = `std-${standard.id}-title`;
  return h('section', { class: 'panel standard-card', testid: 'eligible-standard', 'data-id': standard.id, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, standard.label),
    h('p', { class: 'meta' }, `${t('apply.amount')}：${formatMoney(standard.amount)}\u3000${t('apply.level')}：${standard.level ?? ''}\u3000${t('apply.required_count')}：${need}`),
    h('fieldset', {}, h('legend', {}, t('apply.pick_certificates', { need })),
      certificates.length
        ? h('ul', { class: 'check-list' }, certificates.map((c, i) => h('li', {}, boxes[i],
          h('label', { for: boxes[i].id }, [pick(c.entry_name, c.entry_name_en), c.level_name, formatDate(c.issued_on)].filter(Boolean).join(' · ')))))
        : h('p', {}, t('apply.no_unused'))),
    h('fieldset', { class: 'flag-list' }, h('legend', {}, t('apply.flags')),
      flags.map((f) => h('span', { class: 'checkbox' }, f, h('label', { for: f.id }, ` ${t(`flag.${f.value}`)}`))),
      h('p', { class: 'hint' }, t('apply.flags_hint'))),
    counter, submit);
}

export function render(root, ctx) {
  const message = messageRegion('form-message');
  const banner = windowBanner();
  const list = h('div', { class: 'cards', testid: 'eligible-list' }, t('common.loading'));

  root.append(
    pageTitle(t('apply.title')),
    banner.el,
    h('ol', { class: 'notes' }, ['apply.note_1', 'apply.note_2', 'apply.note_3', 'apply.note_4'].map((k) => h('li', {}, t(k)))),
    message.el,
    list,
    h('p', {}, h('a', { href: '#/rewards/mine', testid: 'apply-mine-link' }, t('nav.rewards_mine'))));

  Promise.all([banner.ready, api('/api/rewards/eligible').then(itemsOf, (err) => { message.show(err.message, 'error'); return []; })])
    .then(([win, items]) => {
      const isOpen = win ? Boolean(win.is_open) : null;
      if (isOpen === false) message.show(t('apply.window_closed'), 'info');
      replace(list, items.length
        ? items.map((item) => standardCard(item, { isOpen, message, ctx }))
        : h('p', { class: 'empty', testid: 'eligible-empty' }, t('apply.none_eligible')));
    });
}
