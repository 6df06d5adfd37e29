// Edits one JSON document of the API through a generated form (json-form.js)
// or as raw JSON, and saves it whole. Used for review tracks and rules.
import { h, replace, messageRegion, busy, uid } from '../dom.js';
import { t } from '../i18n.js';
import { editor } from './json-form.js';

/** jsonDocument({prefix, load: () => Promise<doc>, save: (doc) => Promise<doc|null>, savedText}) -> {el, reload()} */
export function jsonDocument({ prefix, load, save, savedText }) {
  const message = messageRegion(`${prefix}-message`);
  const holder = h('div', { class: 'tracks-editor', testid: `${prefix}-editor` }, t('common.loading'));
  const raw = h('textarea', { rows: '14', class: 'json-raw', testid: `${prefix}-json`, id: uid('json'), spellcheck: 'false' });
  const applyRaw = h('button', { type: 'button', class: 'btn', testid: `${prefix}-apply-json` }, t('tracks.apply_json'));
  const saveButton = h('button', { type: 'button', class: 'btn btn-primary', testid: `${prefix}-save` }, t('common.save'));
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

  saveButton.addEventListener('click', () => busy(saveButton, async () => {
    message.clear();
    let doc;
    try {
      doc = current.read();
    } catch (err) {
      message.show(err.message, 'error');
      return;
    }
    try {
      const answer = await save(doc);
      show(answer ?? doc);
      message.show(savedText || t('common.saved'), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  async function reload() {
    message.clear();
    try {
      show(await load());
    } catch (err) {
      replace(holder);
      message.show(err.message, 'error');
    }
  }

  const el = h('div', { class: 'json-document' }, message.el, holder, h('div', { class: 'form-actions' }, saveButton),
    h('details', { class: 'panel' }, h('summary', {}, t('tracks.advanced')),
      h('label', { for: raw.id }, t('tracks.json_label')), raw, applyRaw));
  reload();
  return { el, reload };
}
