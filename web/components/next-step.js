// What a student reads under a certificate's status: why (the reviewer's reason)
// and what to do next, on the list and the edit page.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function nextStep(cert) {
  if (!cert?.status) return null;
  const reason = cert.review_reason
    ? h('span', { class: 'step-reason', testid: 'cert-reason' }, t('cert.reason_is', { reason: cert.review_reason }))
    : null;
  return h('span', { class: 'next-step desk-sub', testid: 'cert-next-step', 'data-status': cert.status },
    reason, reason ? ' ' : '', t(`cert.next.${cert.status}`));
}
