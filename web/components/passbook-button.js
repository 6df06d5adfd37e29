// The centre's view of a reward application's passbook cover (GET
// /api/rewards/applications/{id}/passbook: the owner and the centre only),
// beside the account it pays to.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { openScanViewer } from './scan-viewer.js';

export function passbookButton(app, user, testid = 'app-passbook') {
  if (!user?.roles?.includes('center') || !app.bank_account?.has_passbook) return null;
  const path = `/api/rewards/applications/${encodeURIComponent(app.id)}/passbook`;
  return h('button', {
    type: 'button', class: 'btn btn-small', testid,
    onClick: () => openScanViewer(path, `${t('reward_review.passbook')} — ${app.label || ''}`),
  }, t('reward_review.passbook'));
}
