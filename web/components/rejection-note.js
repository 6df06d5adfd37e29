// Under a rejected certificate's status, beside the reason and next step (components/next-step.js):
// when the reviewer picked a reason from the reason list, what to do to fix it
// (review_instruction(_en) of GET /api/certificates).
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';

/** The fix instruction in the page's language (the other one when only it exists). */
export function instructionFor(cert, lang = getLang()) {
  const first = lang === 'en' ? cert.review_instruction_en : cert.review_instruction;
  return first || cert.review_instruction || cert.review_instruction_en || '';
}

export function rejectionNote(cert) {
  const instruction = cert.status === 'rejected' ? instructionFor(cert) : '';
  if (!instruction) return null; // the reason itself is shown by nextStep
  return h('div', { class: 'rejection-note', testid: 'cert-rejection', 'data-code': cert.review_reason_code || null },
    h('p', { testid: 'cert-rejection-instruction' }, t('cert.rejection_fix', { instruction })));
}
