// Under a rejected certificate's status: the reviewer's reason and, when the
// reviewer picked one from the reason list, what to do to fix it
// (review_reason / review_instruction(_en) of GET /api/certificates).
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';

/** The fix instruction in the page's language (the other one when only it exists). */
export function instructionFor(cert, lang = getLang()) {
  const first = lang === 'en' ? cert.review_instruction_en : cert.review_instruction;
  return first || cert.review_instruction || cert.review_instruction_en || '';
}

export function rejectionNote(cert) {
  if (cert.status !== 'rejected' || !(cert.review_reason || cert.review_instruction)) return null;
  const instruction = instructionFor(cert);
  return h('div', { class: 'rejection-note', testid: 'cert-rejection', 'data-code': cert.review_reason_code || null },
    cert.review_reason ? h('p', { testid: 'cert-rejection-reason' }, t('cert.rejection_reason', { reason: cert.review_reason })) : null,
    instruction ? h('p', { testid: 'cert-rejection-instruction' }, t('cert.rejection_fix', { instruction })) : null);
}
