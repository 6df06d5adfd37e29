// Admin: review tracks (GET / PUT /api/review/tracks) and the rules of an
// academic year (GET /api/review/rules, PUT /api/review/rules/{year}).
// Each document is edited in a generated form (or as raw JSON), sent back whole.
import { h, field, select, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, currentAcademicYear } from '../format.js';
import { jsonDocument } from '../components/json-document.js';

/** The rules of a year without its academic_year (the PUT body forbids it). */
function rulesBody(config) {
  const body = { ...config };
  delete body.academic_year;
  return body;
}

export function render(root) {
  const tracks = jsonDocument({
    prefix: 'tracks',
    load: () => api('/api/review/tracks'),
    save: (doc) => api('/api/review/tracks', { method: 'PUT', json: doc }),
    savedText: t('tracks.saved'),
  });

  const year = select({ name: 'year', testid: 'rules-year', value: currentAcademicYear() }, academicYearOptions(6));
  const rules = jsonDocument({
    prefix: 'rules',
    load: async () => {
      const answer = await api('/api/review/rules');
      const version = (answer.versions || []).find((v) => String(v.academic_year) === year.value);
      return rulesBody(version || answer.defaults || {});
    },
    save: async (doc) => rulesBody(await api(`/api/review/rules/${encodeURIComponent(year.value)}`, { method: 'PUT', json: doc })),
    savedText: t('tracks.rules_saved'),
  });
  year.addEventListener('change', () => rules.reload());

  root.append(pageTitle(t('tracks.title')),
    h('ul', { class: 'notes' }, ['tracks.note_simple', 'tracks.note_verified', 'tracks.note_options', 'tracks.note_sla'].map((k) => h('li', {}, t(k)))),
    h('section', { 'aria-labelledby': 'tracks-heading' }, h('h2', { id: 'tracks-heading' }, t('tracks.tracks_heading')), tracks.el),
    h('section', { 'aria-labelledby': 'rules-heading' }, h('h2', { id: 'rules-heading' }, t('tracks.rules_heading')),
      h('p', { class: 'lead' }, t('tracks.note_rules')),
      h('div', { class: 'filters' }, field(t('query.year'), year)), rules.el));
}
