// The student's pre-registered certificates from a class roster: one click (choose the scan) completes
// each — POST /api/certificates/rosters/prefills/{id}/complete — and it then is a certificate like any other.
import { h, replace, table, busy } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatDate } from '../format.js';

function completeButton(item, { onDone, onError }) {
  const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,application/pdf', class: 'visually-hidden',
    testid: 'prefill-scan', 'aria-label': t('prefill.scan_of', { name: item.entry_name }) });
  const button = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'prefill-complete' }, t('prefill.complete'));
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => busy(button, async () => {
    if (!input.files[0]) return;
    const form = new FormData();
    form.append('scan', input.files[0]);
    try {
      await apiUpload(`/api/certificates/rosters/prefills/${encodeURIComponent(item.id)}/complete`, form);
      onDone();
    } catch (err) {
      input.value = '';
      onError(err);
    }
  }));
  return h('div', { class: 'row-actions' }, button, input);
}

/** prefillList({onDone, onError}) -> {el, load()}: hidden while there is nothing to complete. */
export function prefillList({ onDone, onError }) {
  const el = h('section', { class: 'card', testid: 'prefill-section', hidden: true });
  async function load() {
    let items = [];
    try {
      items = (await api('/api/certificates/rosters/prefills')).items;
    } catch (err) {
      onError(err);
    }
    el.hidden = !items.length;
    replace(el, h('h2', {}, t('prefill.title')), h('p', { class: 'hint' }, t('prefill.hint')), table({
      testid: 'prefill-table', caption: t('prefill.caption'), rows: items,
      rowAttrs: (p) => ({ testid: 'prefill-row', 'data-id': p.id }),
      columns: [
        { label: t('cert.col_entry'), render: (p) => p.entry_name },
        { label: t('cert.col_level'), render: (p) => p.level_name || '' },
        { label: t('cert.col_score'), render: (p) => p.score || '' },
        { label: t('cert.col_issued_on'), render: (p) => formatDate(p.issued_on) },
        { label: t('cert.col_status'), render: (p) => h('span', { class: 'badge status-draft', testid: 'prefill-status' }, pick(p.status_label, p.status_label_en)) },
        { label: t('common.actions'), render: (p) => completeButton(p, { onDone: () => { onDone(); load(); }, onError }) },
      ],
    }));
  }
  return { el, load };
}

/** The expiry cell: the last valid day, "expired" / "expires soon" marks, and the renewal link. */
export function expiryCell(cert) {
  if (!cert.expires_on) return h('span', { class: 'muted' }, t('expiry.never'));
  const days = Math.round((Date.parse(cert.expires_on) - Date.now()) / 86_400_000);
  const mark = cert.expired ? h('span', { class: 'badge status-rejected', testid: 'cert-expired' }, t('expiry.expired'))
    : days <= 30 ? h('span', { class: 'badge status-rereview', testid: 'cert-expiring' }, t('expiry.soon')) : null;
  const renew = cert.expired || days <= 30
    ? h('a', { href: '#/certificates/new', class: 'btn btn-small', testid: 'cert-renew' }, t('expiry.renew')) : null;
  return h('span', { class: 'expiry', testid: 'cert-expires-on' }, formatDate(cert.expires_on), ' ', mark, ' ', renew);
}
