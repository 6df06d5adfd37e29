// What a student reads under a certificate's status: why (the reviewer's reason)
// and what to do next, on the list and the edit page. The next step is the
// admin's text for the certificate's track and status when there is one
// (GET /api/review/tracks/next-steps), else the standard text of the status.
import { h } from '../dom.js';
import { t, pick } from '../i18n.js';
import { api } from '../api.js';

/** The track a certificate is reviewed on, as the review service picks it (domain.tracks.track_for). */
export function trackOf(doc, category, dept) {
  let general = null;
  for (const a of doc.assignments || []) {
    if (Number(a.category) !== Number(category)) continue;
    if (a.dept && a.dept === dept) return a.track;
    if (!a.dept) general = a.track;
  }
  return general || doc.fallback || 'simple';
}

/** loadTrackSteps() -> Promise<(cert) => {zh, en} | null>; without the document, always null. */
export async function loadTrackSteps() {
  try {
    const doc = await api('/api/review/tracks/next-steps');
    return (cert) => doc.tracks?.[trackOf(doc, cert.category, cert.dept)]?.[cert.status] || null;
  } catch {
    return () => null;
  }
}

export function nextStep(cert, stepOf = () => null) {
  if (!cert?.status) return null;
  const reason = cert.review_reason
    ? h('span', { class: 'step-reason', testid: 'cert-reason' }, t('cert.reason_is', { reason: cert.review_reason }))
    : null;
  const own = stepOf(cert);
  const text = own ? t('cert.next_is', { step: pick(own.zh, own.en) }) : t(`cert.next.${cert.status}`);
  return h('span', { class: 'next-step desk-sub', testid: 'cert-next-step', 'data-status': cert.status, 'data-source': own ? 'track' : 'standard' },
    reason, reason ? ' ' : '', text);
}
