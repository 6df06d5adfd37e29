// Centre: scan of the original (查證). Submitted certificates of tracks that
// need an original check (GET /api/review/tracks) get the centre's scan: POST
// /api/review/{certificate_id}/original (multipart, file "scan") -> verifying.
// Below, the certificates scanned and waiting for the decision (status verifying),
// each with the scan the centre stored, to look at again.
import { h, replace, messageRegion, busy, pageTitle, uid } from '../dom.js';
import { api, apiUpload, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';
import { queueTable } from '../components/queue-table.js';
import { queueFilters, queuePager } from '../components/queue-filters.js';
import { categoryNamer } from '../components/categories.js';

export function render(root, ctx) {
  const message = messageRegion('originals-message');
  const holder = h('div', { class: 'list-holder' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'queue-more', hidden: true }, t('common.more'));
  let rows = [];
  let nameCategory = (c) => c;
  const filters = queueFilters({ user: ctx.user, fixedStatus: 'submitted', onSearch: () => load() });
  const pager = queuePager(filters.query);
  // Track names whose certificates need the original; null = unknown, show all.
  const needsOriginal = api('/api/review/tracks')
    .then((doc) => new Set((doc.tracks || []).filter((tr) => tr.original_check_required).map((tr) => tr.name)))
    .catch(() => null);
  const waiting = (tracks) => (r) => !r.original_checked_at && (!tracks || !r.track || tracks.has(r.track));

  function uploadCell(row) {
    const input = h('input', { type: 'file', id: uid('orig'), accept: 'image/jpeg,image/png,application/pdf', testid: 'original-file' });
    const progress = h('progress', { max: '100', value: '0', hidden: true, testid: 'original-progress', 'aria-label': t('upload.progress') });
    const button = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'original-upload' }, t('originals.upload'));
    button.addEventListener('click', () => busy(button, async () => {
      message.clear();
      if (!input.files[0]) {
        message.show(t('upload.required'), 'error');
        input.focus();
        return;
      }
      const data = new FormData();
      data.append('scan', input.files[0]);
      progress.hidden = false;
      try {
        await apiUpload(`/api/review/${encodeURIComponent(row.certificate_id)}/original`, data, {
          onProgress: (f) => { progress.value = Math.round(f * 100); },
        });
        message.show(t('originals.done', { name: pick(row.entry_name, row.entry_name_en) }), 'success');
        await Promise.all([load(), loadScanned()]);
      } catch (err) {
        progress.hidden = true;
        message.show(err.message, 'error');
      }
    }));
    return h('div', { class: 'decision-box' },
      h('label', { for: input.id, class: 'small-label' }, t('originals.file')), input, progress, button);
  }

  const scannedHolder = h('div', { class: 'list-holder', testid: 'originals-scanned' });
  async function loadScanned() {
    try {
      const answer = await api('/api/review/queue', { query: { status: 'verifying', limit: 50 } });
      replace(scannedHolder, queueTable({ rows: itemsOf(answer), rowTestid: 'scanned-row', testid: 'originals-scanned-table', categoryName: nameCategory }));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  function draw() {
    replace(holder, queueTable({ rows, rowTestid: 'original-row', testid: 'originals-table', actions: uploadCell, categoryName: nameCategory }));
    more.hidden = !pager.hasMore();
  }

  async function load(reset = true) {
    try {
      const tracks = await needsOriginal;
      rows = (await pager.load(reset)).filter(waiting(tracks));
      draw();
    } catch (err) {
      message.show(err.message, 'error');
    }
  }

  more.addEventListener('click', () => busy(more, () => load(false)));
  root.append(pageTitle(t('originals.title')), h('p', { class: 'lead' }, t('originals.intro')), filters.el, message.el, holder, more,
    h('section', { 'aria-labelledby': 'scanned-heading' }, h('h2', { id: 'scanned-heading' }, t('originals.scanned')),
      h('p', { class: 'hint' }, t('originals.scanned_hint')), scannedHolder));
  filters.categories.then((list) => {
    nameCategory = categoryNamer(list);
    if (rows.length) draw();
    loadScanned();
  });
  load();
}
