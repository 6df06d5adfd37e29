// Student: my certificates (GET /api/certificates) with the seed's columns,
// thumbnails, coloured statuses, edit / delete / resend confirmation.
import { h, replace, table, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf, cursorOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { formatDate, formatDateTime, statusBadge } from '../format.js';
import { blobImage } from '../components/blob-image.js';
import { openScanViewer } from '../components/scan-viewer.js';
import { confirmButton } from '../components/confirm-button.js';
import { credentialCell, PASSED } from '../components/credential-cell.js';
import { prefillList, expiryCell } from '../components/prefill-list.js';
import { nextStep, loadTrackSteps } from '../components/next-step.js';
import { rejectionNote } from '../components/rejection-note.js';
import { autoRefresh } from '../components/auto-refresh.js';

function actions(cert, { reload, message, ctx }) {
  const box = h('div', { class: 'row-actions' });
  if (cert.can_edit) {
    box.appendChild(h('a', { class: 'btn btn-small', href: `#/certificates/${encodeURIComponent(cert.id)}/edit`, testid: 'cert-edit' },
      cert.status === 'rejected' ? t('cert.edit_resubmit') : t('common.edit')));
  }
  if (cert.can_delete) {
    box.appendChild(confirmButton({
      label: t('common.delete'), question: t('cert.delete_question'), testid: 'cert-delete', className: 'btn btn-small btn-danger',
      onConfirm: async () => {
        try {
          await api(`/api/certificates/${encodeURIComponent(cert.id)}`, { method: 'DELETE' });
          ctx.flash.show(t('cert.deleted'), 'success');
          reload();
        } catch (err) {
          message.show(err.message, 'error');
        }
      },
    }));
  }
  if (cert.status === 'draft') {
    const resend = h('button', { type: 'button', class: 'btn btn-small', testid: 'cert-resend' }, t('cert.resend'));
    resend.addEventListener('click', () => busy(resend, async () => {
      try {
        await api(`/api/certificates/${encodeURIComponent(cert.id)}/resend-confirmation`, { method: 'POST' });
        message.show(t('cert.resent'), 'success');
      } catch (err) {
        message.show(err.message, 'error');
      }
    }));
    box.appendChild(resend);
  }
  return box;
}

function thumbnailCell(cert) {
  if (!cert.thumbnail_url) return t('common.none');
  const scanPath = `/api/certificates/${encodeURIComponent(cert.id)}/scan`;
  return h('button', {
    type: 'button', class: 'thumb-button', testid: 'cert-view-scan', 'aria-label': t('scan.view_of', { name: pick(cert.entry_name, cert.entry_name_en) }),
    onClick: () => openScanViewer(scanPath, pick(cert.entry_name, cert.entry_name_en)),
  }, blobImage(cert.thumbnail_url, { alt: t('scan.thumbnail_of', { name: pick(cert.entry_name, cert.entry_name_en) }), testid: 'cert-thumbnail' }));
}

/** The reward applications a certificate is used in, each a link to the student's applications. */
function usedInCell(apps) {
  if (!apps?.length) return null;
  return h('ul', { class: 'used-in', testid: 'cert-used-in' }, apps.map((a) => h('li', {},
    h('a', { href: '#/rewards/mine', class: 'badge used-badge', testid: 'cert-used-in-app', 'data-application': a.id },
      t('cert.used_in', { year: a.academic_year, label: a.label, status: pick(a.status_label, a.status_label_en) })))));
}

/** Who holds the certificate now and when to expect a decision (overdue marked). */
function progressCell(p) {
  if (!p) return '';
  const parts = [h('span', { testid: 'cert-holder' }, pick(p.holder, p.holder_en))];
  if (p.due_on) {
    parts.push(h('br'), h('span', { class: p.overdue ? 'overdue-date' : 'small-label', testid: 'cert-due' },
      t(p.overdue ? 'cert.progress_overdue' : 'cert.progress_due', { date: formatDate(p.due_on), n: p.age_days })));
  }
  return h('span', { testid: 'cert-progress', 'data-overdue': String(Boolean(p.overdue)) }, ...parts);
}

/** The student's own reward applications (every year, invalidated ones left out) by certificate id. */
async function applicationsByCertificate() {
  const answer = await api('/api/rewards/applications', { query: { limit: 200 } }).catch(() => ({ items: [] }));
  const byCert = new Map();
  for (const app of itemsOf(answer)) {
    if (app.status === 'invalid') continue;
    for (const c of app.certificates || []) {
      if (!byCert.has(c.certificate_id)) byCert.set(c.certificate_id, []);
      byCert.get(c.certificate_id).push(app);
    }
  }
  return byCert;
}

export function render(root, ctx) {
  const message = messageRegion('cert-list-message');
  const holder = h('div', { class: 'list-holder' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'cert-more', hidden: true }, t('common.more'));
  let rows = [];
  let cursor = null;
  let credentials = new Map(); // certificate id → its signed record (services/credentials)
  let progress = new Map(); // certificate id → stage, holder, due date (GET /api/review/progress)
  let stepOf = () => null; // the admin's next step for the certificate's track and status
  const trackSteps = loadTrackSteps(); // once per visit of the screen
  let usedIn = new Map(); // certificate id → the student's reward applications that use it

  function draw() {
    const env = { reload: load, message, ctx };
    replace(holder, table({
      testid: 'cert-table',
      caption: t('cert.list_caption'),
      empty: t('cert.empty'),
      rows,
      rowAttrs: (c) => ({ testid: 'cert-row', 'data-id': c.id, 'data-status': c.status }),
      columns: [
        { label: t('cert.col_entry'), render: (c) => pick(c.entry_name, c.entry_name_en) },
        { label: t('cert.col_level'), render: (c) => c.level_name },
        { label: t('cert.col_cefr'), render: (c) => c.cefr || '' },
        { label: t('cert.col_score'), render: (c) => c.score || '' },
        { label: t('cert.col_issued_on'), render: (c) => formatDate(c.issued_on) },
        { label: t('cert.col_thumbnail'), render: thumbnailCell },
        { label: t('expiry.col'), render: expiryCell },
        { label: t('cert.col_status'), render: (c) => h('div', { class: 'status-with-step' }, statusBadge(c.status, c.status_label, 'cert-status', c.status_label_en), nextStep(c, stepOf), rejectionNote(c), usedInCell(usedIn.get(c.id))) },
        { label: t('cert.col_progress'), render: (c) => progressCell(progress.get(c.id)) },
        { label: t('cert.col_reviewer'), render: (c) => c.reviewer || '' },
        { label: t('cert.col_reviewed_at'), render: (c) => formatDateTime(c.reviewed_at) },
        { label: t('cert.col_remarks'), render: (c) => c.remarks || '' },
        { label: t('cred.col'), render: (c) => credentialCell(c, credentials.get(c.id), (err) => message.show(err.message, 'error')) },
        { label: t('common.actions'), render: (c) => actions(c, env) },
      ],
    }));
    more.hidden = !cursor;
  }

  async function load(append = false) {
    try {
      const answer = await api('/api/certificates', { query: { limit: 50, cursor: append ? cursor : null } });
      rows = append ? rows.concat(itemsOf(answer)) : itemsOf(answer);
      cursor = cursorOf(answer);
      const [stages, steps] = await Promise.all([api('/api/review/progress').catch(() => ({ items: [] })), trackSteps]);
      stepOf = steps;
      if (rows.some((c) => PASSED.has(c.status))) usedIn = await applicationsByCertificate();
      progress = new Map(itemsOf(stages).map((p) => [p.certificate_id, p]));
      if (rows.some((c) => PASSED.has(c.status))) {
        const records = await api('/api/credentials').catch(() => []);
        credentials = new Map();
        for (const r of records) if (!credentials.has(r.certificate_id)) credentials.set(r.certificate_id, r); // newest first
      }
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  const prefills = prefillList({
    onDone: () => { message.show(t('prefill.done'), 'success'); load(); },
    onError: (err) => message.show(err.message, 'error'),
  });
  more.addEventListener('click', () => busy(more, () => load(true)));
  root.append(
    pageTitle(t('cert.list_title'), h('a', { class: 'btn btn-primary', href: '#/certificates/new', testid: 'cert-new' }, t('nav.cert_new'))),
    h('ul', { class: 'notes' }, h('li', {}, t('cert.note_open')), h('li', {}, t('cert.note_reward')), h('li', {}, t('cert.note_rejected'))),
    message.el, prefills.el, holder, more,
    h('section', { class: 'legend', 'aria-label': t('cert.legend') },
      ['draft', 'submitted', 'verifying', 'rereview', 'rejected', 'credit_pending', 'approved', 'recorded']
        .map((s) => h('span', { class: 'legend-item' }, statusBadge(s, '', 'legend-status'), ' ', t(`status_help.${s}`)))),
  );
  prefills.load();
  load();
  // Decisions arrive by events: the list is looked at again every ~15 s while it is shown.
  return autoRefresh({ scope: holder, refresh: () => (rows.length <= 50 ? load() : undefined) });
}
