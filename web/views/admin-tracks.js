// Admin: review tracks and rules (GET / PUT /api/review/tracks). The document
// is edited in a generated form (or as raw JSON) and sent back whole.
import { h, replace, messageRegion, busy, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { editor } from '../components/json-form.js';

export function render(root) {
  const message = messageRegion('tracks-message');
  const holder = h('div', { class: 'tracks-editor', testid: 'tracks-editor' }, t('common.loading'));
  const raw = h('textarea', { rows: '16', class: 'json-raw', testid: 'tracks-json', id: 'tracks-json', spellcheck: 'false' });
  const applyRaw = h('button', { type: 'button', class: 'btn', testid: 'tracks-apply-json' }, t('tracks.apply_json'));
  const save = h('button', { type: 'button', class: 'btn btn-primary', testid: 'tracks-save' }, t('common.save'));
  let current = null;

  function show(doc) {
    current = editor(doc);
    replace(holder, current.el);
    raw.value = JSON.stringify(doc, null, 2);
  }

  applyRaw.addEventListener('click', () => {
    message.clear();
    try {
      show(JSON.parse(raw.value));
      message.show(t('tracks.json_applied'), 'info');
    } catch {
      message.show(t('tracks.bad_json', { key: 'JSON' }), 'error');
    }
  });

  save.addEventListener('click', () => busy(save, async () => {
    message.clear();
    let doc;
    try {
      doc = current.read();
    } catch (err) {
      message.show(err.message, 'error');
      return;
    }
    try {
      const answer = await api('/api/review/tracks', { method: 'PUT', json: doc });
      show(answer ?? doc);
      message.show(t('tracks.saved'), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  root.append(pageTitle(t('tracks.title')),
    h('ul', { class: 'notes' }, ['tracks.note_simple', 'tracks.note_verified', 'tracks.note_options', 'tracks.note_rules'].map((k) => h('li', {}, t(k)))),
    message.el, holder, h('div', { class: 'form-actions' }, save),
    h('details', { class: 'panel' }, h('summary', {}, t('tracks.advanced')),
      h('label', { for: raw.id }, t('tracks.json_label')), raw, applyRaw));

  api('/api/review/tracks').then(show).catch((err) => {
    replace(holder);
    message.show(err.message, 'error');
  });
}
