// What a decision did, in words: the status it moves to (which may differ from
// what was asked: an incomplete bundle goes to 再審中) and bundle members released with it.
import { t, pick } from '../i18n.js';

export function outcomeText(row, answer) {
  const name = pick(row?.entry_name, row?.entry_name_en);
  const asked = answer?.decision;
  const outcome = answer?.outcome || asked;
  const parts = [asked && outcome && asked !== outcome
    ? t('queue.decided_as', { name, decision: t(`decision.${asked}`), outcome: t(`status.${outcome}`) })
    : t('queue.decided', { name, decision: t(`status.${outcome}`) })];
  if (outcome === 'rereview' && asked !== 'rereview') parts.push(t('queue.bundle_waiting'));
  const released = answer?.released || [];
  if (released.length) parts.push(t('queue.released', { n: released.length }));
  return parts.join(' ');
}
