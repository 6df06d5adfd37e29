// What the review desk offers for one queue item, mirroring the review service's
// rules (services/review/review/domain/decisions.py): only the decisions the
// server would accept, and a reason asked for up front whenever it needs one.
import { api, itemsOf } from '../api.js';

const REVIEWABLE = new Set(['submitted', 'verifying', 'rereview']);
const WAIVER_DECISIONS = ['credit_pending', 'recorded'];

/** Failed rules that need an override reason (the bundle rule sends the item to rereview instead). */
export function failedRules(row) {
  return (row?.checklist || []).filter((c) => !c.passed && c.rule !== 'bundle').map((c) => c.rule);
}

/**
 * The decisions valid for this row. `track` is the row's track settings (GET /api/review/tracks),
 * `isCenter` whether the signed-in user is the centre.
 */
export function allowedDecisions(row, track, isCenter) {
  if (!row || row.decision_pending) return [];
  if (row.status === 'credit_pending') return isCenter ? ['approved'] : [];
  if (!REVIEWABLE.has(row.status)) return [];
  const out = ['approved', 'rejected'];
  if (row.status !== 'rereview') out.push('rereview');
  if (track?.credit_waiver && row.it_certificate) out.push(...WAIVER_DECISIONS);
  return out;
}

/** Why a pass is refused before asking the server: the track needs the centre's original check. */
export function passBlocked(row, track) {
  return Boolean(track?.original_check_required && !row.original_checked_at && row.status !== 'credit_pending');
}

export function reasonNeeded(row, decision) {
  if (decision === 'rejected' || decision === 'rereview') return true;
  if (row?.status === 'credit_pending') return false;
  return failedRules(row).length > 0;
}

/** Track name -> settings; {} when the list cannot be read (every decision is then offered). */
export async function loadTracks() {
  try {
    const answer = await api('/api/review/tracks');
    return Object.fromEntries((answer?.tracks || []).map((tr) => [tr.name, tr]));
  } catch {
    return {};
  }
}

/** The reason codes (GET /api/review/reasons) or null when the service does not offer them (404). */
export async function loadReasonCodes() {
  try {
    const list = itemsOf(await api('/api/review/reasons'));
    return list.length ? list : null;
  } catch {
    return null;
  }
}
