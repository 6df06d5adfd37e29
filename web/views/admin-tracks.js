// Admin: review tracks (GET / PUT /api/review/tracks) in the tracks form, and
// the rules of an academic year (GET /api/review/rules, PUT /api/review/rules/{year})
// in the rules form. Each document is sent back whole.
import { h, replace, field, select, pageTitle, messageRegion, busy } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, currentAcademicYear } from '../format.js';
import { rulesForm } from '../components/rules-form.js';
import { trackEditor } from '../components/track-editor.js';
import { loadCategories } from '../components/categories.js';
import { entriesByKey } from '../components/entry-names.js';

/** The tracks form with its save button; reloads the saved document. */
function tracksSection(user) {
  const message = messageRegion('tracks-message');
  const holder = h('div', { class: 'tracks-holder' }, t('common.loading'));
  const save = h('button', { type: 'button', class: 'btn btn-primary', testid: 'tracks-save' }, t('common.save'));
  let editor = null;

  async function show(doc) {
    const keys = (doc.tracks || []).flatMap((tr) => tr.recognised || []);
    const [categories, entries] = await Promise.all([loadCategories(), entriesByKey(keys).catch(() => new Map())]);
    editor = trackEditor({ user, categories, doc, entries });
    replace(holder, editor.el);
  }

  save.addEventListener('click', () => busy(save, async () => {
    message.clear();
    let body;
    try {
      body = editor.read();
    } catch (err) {
      message.show(err.message, 'error');
      return;
    }
    try {
      await show(await api('/api/review/tracks', { method: 'PUT', json: body }));
      message.show(t('tracks.saved'), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));

  api('/api/review/tracks').then(show).catch((err) => {
    replace(holder);
    message.show(err.message, 'error');
  });
  return h('div', { class: 'tracks-form' }, message.el, holder, h('div', { class: 'form-actions sticky-actions' }, save));
}

/** The rules of a year without its academic_year (the PUT body forbids it). */
function rulesBody(config) {
  const body = { ...config };
  delete body.academic_year;
  return body;
}

/** The rules form of the chosen year (its saved version, else the defaults) with its save button. */
function rulesSection(user, year) {
  const message = messageRegion('review-rules-message');
  const holder = h('div', { class: 'rules-holder' }, t('common.loading'));
  const save = h('button', { type: 'button', class: 'btn btn-primary', testid: 'review-rules-save' }, t('common.save'));
  let form = null;
  let shown = 0;

  async function show(config) {
    const ticket = ++shown; // only the newest load redraws (an older answer would wipe what was typed)
    const keys = Object.values(config.dept_thresholds || {}).flat();
    const entries = await entriesByKey(keys).catch(() => new Map());
    if (ticket !== shown) return;
    form = rulesForm({ user, config, entries });
    replace(holder, form.el);
  }

  async function reload() {
    message.clear();
    try {
      const answer = await api('/api/review/rules');
      const version = (answer.versions || []).find((v) => String(v.academic_year) === year.value);
      await show(rulesBody(version || answer.defaults || {}));
    } catch (err) {
      replace(holder);
      message.show(err.message, 'error');
    }
  }

  save.addEventListener('click', () => busy(save, async () => {
    message.clear();
    let body;
    try {
      body = form.read();
    } catch (err) {
      message.show(err.message, 'error');
      return;
    }
    try {
      await show(rulesBody(await api(`/api/review/rules/${encodeURIComponent(year.value)}`, { method: 'PUT', json: body })));
      message.show(t('tracks.rules_saved'), 'success');
    } catch (err) {
      message.show(err.message, 'error');
    }
  }));
  year.addEventListener('change', reload);
  reload();
  return h('div', {}, message.el, holder, h('div', { class: 'form-actions' }, save));
}

export function render(root, ctx) {

  const year = select({ name: 'year', testid: 'rules-year', value: currentAcademicYear() }, academicYearOptions(6));
  root.append(pageTitle(t('tracks.title')),
    h('ul', { class: 'notes' }, ['tracks.note_simple', 'tracks.note_verified', 'tracks.note_options', 'tracks.note_sla'].map((k) => h('li', {}, t(k)))),
    h('section', { 'aria-labelledby': 'tracks-heading' }, h('h2', { id: 'tracks-heading' }, t('tracks.tracks_heading')), tracksSection(ctx.user)),
    h('section', { 'aria-labelledby': 'rules-heading' }, h('h2', { id: 'rules-heading' }, t('tracks.rules_heading')),
      h('p', { class: 'lead' }, t('tracks.note_rules')),
      h('div', { class: 'filters' }, field(t('query.year'), year)), rulesSection(ctx.user, year)));
}
