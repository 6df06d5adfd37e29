// Duplicate flags grouped by the certificate they match (one card per match,
// naming the other student and certificate, with both scans side by side).
import { deptLabel } from './departments.js';
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, codeLabel, pick } from '../i18n.js';
import { studentLabel } from '../format.js';
import { blobImage } from './blob-image.js';

/** [{certificate_id, elsewhere, codes: [..], reasons: [..]}] in the order the flags came
 * (a match in a department the reader may not open comes without its certificate id). */
export function duplicateGroups(flags = []) {
  const groups = new Map();
  for (const f of flags || []) {
    const code = typeof f === 'string' ? f : f.code;
    const other = (typeof f === 'string' ? '' : f.certificate_id) || (f.elsewhere ? 'elsewhere' : '');
    if (!groups.has(other)) groups.set(other, { certificate_id: f.elsewhere ? '' : other, elsewhere: Boolean(f.elsewhere), codes: [], reasons: [] });
    const g = groups.get(other);
    if (!g.codes.includes(code)) g.codes.push(code);
    const reason = typeof f === 'string' ? '' : pick(f.reason, f.reason_en);
    if (reason && !g.reasons.includes(reason)) g.reasons.push(reason);
  }
  return [...groups.values()];
}

const others = new Map(); // certificate id -> Promise of its queue item (or null when not ours to see)

function otherItem(id) {
  if (!others.has(id)) others.set(id, api(`/api/review/${encodeURIComponent(id)}`).catch(() => null));
  return others.get(id);
}

/** A card for one match: what matched, who holds the other certificate, and both thumbnails. */
export function matchCard(row, group) {
  const who = h('p', { class: 'match-who', testid: 'match-who' }, t('common.loading'));
  const theirs = h('div', { class: 'match-scan' });
  const card = h('div', { class: 'match-card', testid: 'queue-match', 'data-other': group.certificate_id },
    h('p', {}, h('strong', {}, group.codes.map((c) => codeLabel('flag', c, c)).join('、'))),
    group.reasons.length ? h('p', { class: 'desk-sub' }, group.reasons.join('；')) : null,
    who,
    h('div', { class: 'scan-pair' },
      h('figure', {}, blobImage(row.thumbnail_url, { alt: t('scan.thumbnail_of', { name: pick(row.entry_name, row.entry_name_en) }), testid: 'match-mine' }),
        h('figcaption', {}, t('queue.this_certificate'))),
      theirs));
  if (!group.certificate_id) {
    who.textContent = t(group.elsewhere ? 'queue.match_elsewhere' : 'queue.match_unknown');
    return card;
  }
  otherItem(group.certificate_id).then((other) => {
    if (!other) {
      who.textContent = t('queue.match_elsewhere');
      return;
    }
    who.textContent = t('queue.match_of', {
      student: studentLabel(other), entry: pick(other.entry_name, other.entry_name_en), dept: deptLabel(other.dept),
    });
    theirs.append(h('figure', {}, blobImage(other.thumbnail_url, { alt: t('scan.thumbnail_of', { name: pick(other.entry_name, other.entry_name_en) }), testid: 'match-theirs' }),
      h('figcaption', {}, studentLabel(other))));
  });
  return card;
}
