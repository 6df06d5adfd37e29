// Admin: the review tracks as a form (GET / PUT /api/review/tracks). One panel
// per track: its options as checkboxes, the SLA in days, bundle sizes as rows
// (prefix + count), the recognised entries picked by catalog search and shown
// by name, and the students' next step per status (zh-TW + English). Below,
// the assignments as rows of category (by name) / department / track.
// trackEditor(...).read() gives the PUT body or throws an Error to show.
import { h, replace, select, uid } from '../dom.js';
import { t } from '../i18n.js';
import { entryChips } from './entry-chips.js';
import { categoryOptions } from './categories.js';
import { deptControl } from './dept-control.js';

// Phone width: the track panels start folded; once the window is wide again they all open.
const PHONE = globalThis.matchMedia?.('(max-width: 760px)');
PHONE?.addEventListener?.('change', (e) => {
  if (!e.matches) document.querySelectorAll('details.track-panel').forEach((d) => { d.open = true; });
});

export const NEXT_STEP_STATUSES = ['draft', 'submitted', 'verifying', 'rereview', 'rejected', 'credit_pending', 'approved', 'recorded'];
const OPTIONS = ['confirmation_required', 'original_check_required', 'credit_waiver'];
const TRACK_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const BUNDLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$/;

function checkbox(label, checked, testid) {
  const input = h('input', { type: 'checkbox', id: uid('chk'), checked: Boolean(checked), testid });
  return { input, el: h('p', { class: 'check' }, input, h('label', { for: input.id }, label)) };
}

function labelled(label, control, required) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label,
    required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control);
}

function bundleRows(bundles) {
  const body = h('tbody');
  function add(name = '', size = 3) {
    const prefix = h('input', { type: 'text', value: name, testid: 'track-bundle-name', 'aria-label': t('tracks.bundle_prefix'), maxlength: '40', required: true });
    const count = h('input', { type: 'number', value: String(size), min: '1', max: '20', step: '1', testid: 'track-bundle-size', 'aria-label': t('tracks.bundle_size'), required: true });
    const tr = h('tr', { testid: 'track-bundle-row' },
      h('td', { 'data-label': t('tracks.bundle_prefix') }, prefix), h('td', { 'data-label': t('tracks.bundle_size') }, count),
      h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'track-bundle-remove', onClick: () => tr.remove() }, t('common.remove'))));
    tr.read = () => ({ name: prefix.value.trim(), size: Number(count.value) });
    body.appendChild(tr);
    return prefix;
  }
  Object.entries(bundles || {}).forEach(([n, s]) => add(n, s));
  const el = h('div', { class: 'form-block' }, h('h3', {}, t('tracks.bundles')), h('p', { class: 'hint' }, t('tracks.bundles_hint')),
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'responsive', testid: 'track-bundles' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('tracks.bundle_prefix')), h('th', { scope: 'col' }, t('tracks.bundle_size')), h('th', { scope: 'col' }, t('common.actions')))), body)),
    h('button', { type: 'button', class: 'btn btn-small', testid: 'track-bundle-add', onClick: () => add('', 3).focus() }, t('tracks.bundle_add')));
  return {
    el,
    read(trackName) {
      const out = {};
      for (const tr of body.children) {
        const { name, size } = tr.read();
        if (!BUNDLE_NAME.test(name) || !(size >= 1 && size <= 20) || out[name] !== undefined) {
          throw new Error(t('tracks.bad_bundle', { track: trackName, name: name || '—' }));
        }
        out[name] = size;
      }
      return out;
    },
  };
}

function recognisedPicker(recognised, entries) {
  const all = h('input', { type: 'radio', id: uid('rec'), name: uid('rec'), checked: recognised === null || recognised === undefined, testid: 'track-recognised-all' });
  const listed = h('input', { type: 'radio', id: uid('rec'), name: all.name, checked: Array.isArray(recognised), testid: 'track-recognised-listed' });
  const chosen = entryChips({
    keys: recognised || [], entries, testid: 'track-recognised', pickerTestid: 'track-entry', label: t('tracks.recognised_add'),
    onAdd: () => { listed.checked = true; },
  });
  const el = h('fieldset', { class: 'form-block' }, h('legend', {}, t('field.recognised')),
    h('p', { class: 'check' }, all, h('label', { for: all.id }, t('tracks.recognised_all'))),
    h('p', { class: 'check' }, listed, h('label', { for: listed.id }, t('tracks.recognised_listed'))),
    chosen.chips, chosen.picker.el);
  return { el, read: () => (listed.checked ? chosen.keys() : null) };
}

function nextStepsTable(steps) {
  const rows = NEXT_STEP_STATUSES.map((status) => {
    const zh = h('input', { type: 'text', value: steps?.[status]?.zh || '', maxlength: '300', testid: `track-next-${status}-zh`, 'aria-label': `${t(`status.${status}`)} · ${t('tracks.next_zh')}` });
    const en = h('input', { type: 'text', value: steps?.[status]?.en || '', maxlength: '300', testid: `track-next-${status}-en`, 'aria-label': `${t(`status.${status}`)} · ${t('tracks.next_en')}` });
    return { status, zh, en };
  });
  const el = h('details', { class: 'form-block next-steps', testid: 'track-next-steps', open: Object.keys(steps || {}).length > 0 },
    h('summary', {}, t('tracks.next_steps')), h('p', { class: 'hint' }, t('tracks.next_steps_hint')),
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'responsive' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('cert.col_status')), h('th', { scope: 'col' }, t('tracks.next_zh')), h('th', { scope: 'col' }, t('tracks.next_en')))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('td', { 'data-label': t('cert.col_status') }, t(`status.${r.status}`)),
        h('td', { 'data-label': t('tracks.next_zh') }, r.zh), h('td', { 'data-label': t('tracks.next_en') }, r.en)))))));
  return {
    el,
    read(trackName) {
      const out = {};
      for (const r of rows) {
        const zh = r.zh.value.trim();
        const en = r.en.value.trim();
        if (!zh && en) throw new Error(t('tracks.next_needs_zh', { track: trackName, status: t(`status.${r.status}`) }));
        if (zh) out[r.status] = { zh, en };
      }
      return out;
    },
  };
}

function trackPanel(track, entries, onChange) {
  const name = h('input', { type: 'text', id: uid('track'), value: track.name || '', maxlength: '40', required: true, testid: 'track-name', pattern: '[a-z][a-z0-9_\\-]*' });
  name.addEventListener('input', onChange);
  const options = OPTIONS.map((k) => ({ k, ...checkbox(t(`field.${k}`), track[k], `track-${k}`) }));
  const sla = h('input', { type: 'number', id: uid('sla'), value: String(track.sla_days ?? 7), min: '1', max: '365', step: '1', required: true, testid: 'track-sla' });
  const bundles = bundleRows(track.bundles);
  const recognised = recognisedPicker(track.recognised, entries);
  const steps = nextStepsTable(track.next_steps);
  // On a phone each track is folded to its name and SLA (the form is long); a new track opens.
  const narrow = Boolean(PHONE?.matches);
  const panel = h('details', { class: 'panel track-panel', testid: 'track-panel', 'data-name': track.name || '', open: !narrow || !track.name },
    h('summary', { testid: 'track-summary' }, track.name ? t('tracks.track_named', { name: track.name }) : t('tracks.new_track'),
      track.name ? h('span', { class: 'muted' }, ' · ', t('tracks.sla_summary', { n: track.sla_days ?? 7 })) : null),
    h('div', { class: 'form-grid' }, labelled(t('tracks.name'), name, true), labelled(t('field.sla_days'), sla, true)),
    h('p', { class: 'hint' }, t('tracks.name_hint')),
    h('div', { class: 'track-options' }, options.map((o) => o.el)),
    bundles.el, recognised.el, steps.el,
    h('div', { class: 'form-actions' }, h('button', {
      type: 'button', class: 'btn btn-small btn-danger', testid: 'track-remove',
      onClick: () => { panel.remove(); onChange(); },
    }, t('tracks.remove_track'))));
  panel.addEventListener('invalid', () => { panel.open = true; }, true); // a field to correct is never folded away
  panel.trackName = () => name.value.trim();
  function readTrack() {
    const n = name.value.trim();
    if (!TRACK_NAME.test(n)) throw new Error(t('tracks.bad_name', { name: n || '—' }));
    const days = Number(sla.value);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(t('tracks.bad_sla', { track: n }));
    return {
      name: n, ...Object.fromEntries(options.map((o) => [o.k, o.input.checked])), sla_days: days,
      bundles: bundles.read(n), recognised: recognised.read(), next_steps: steps.read(n),
    };
  }
  panel.read = () => {
    try {
      return readTrack();
    } catch (err) {
      panel.open = true; // the error names this track: its fields are shown
      throw err;
    }
  };
  return panel;
}

function assignmentRows(assignments, { user, categories, trackNames }) {
  const body = h('tbody');
  const trackSelects = new Set();
  function refreshTracks() {
    const names = trackNames();
    for (const sel of trackSelects) {
      const value = sel.value;
      replace(sel, names.map((n) => h('option', { value: n }, n)));
      sel.value = names.includes(value) ? value : names[0] || '';
    }
  }
  function add(a = {}) {
    const cat = select({ testid: 'assignment-category', 'aria-label': t('field.category'), value: a.category ?? '' }, categoryOptions(categories));
    if (a.category !== undefined && ![...cat.options].some((o) => o.value === String(a.category))) {
      cat.appendChild(h('option', { value: String(a.category) }, String(a.category)));
      cat.value = String(a.category);
    }
    const dept = deptControl(user, 'assignment-dept');
    dept.setAttribute('aria-label', t('field.dept'));
    dept.options[0].textContent = t('tracks.every_dept');
    if (a.dept && ![...dept.options].some((o) => o.value === a.dept)) dept.appendChild(h('option', { value: a.dept }, a.dept));
    dept.value = a.dept || '';
    const track = h('select', { testid: 'assignment-track', 'aria-label': t('field.track') });
    trackSelects.add(track);
    replace(track, trackNames().map((n) => h('option', { value: n }, n)));
    track.value = a.track || trackNames()[0] || '';
    const tr = h('tr', { testid: 'assignment-row' },
      h('td', { 'data-label': t('field.category') }, cat), h('td', { 'data-label': t('field.dept') }, dept),
      h('td', { 'data-label': t('field.track') }, track),
      h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'assignment-remove', onClick: () => { trackSelects.delete(track); tr.remove(); } }, t('common.remove'))));
    tr.read = () => ({ category: Number(cat.value), dept: dept.value || null, track: track.value });
    body.appendChild(tr);
  }
  assignments.forEach(add);
  const el = h('div', {},
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'responsive', testid: 'assignments' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('field.category')), h('th', { scope: 'col' }, t('field.dept')), h('th', { scope: 'col' }, t('field.track')), h('th', { scope: 'col' }, t('common.actions')))), body)),
    h('button', { type: 'button', class: 'btn btn-small', testid: 'assignment-add', onClick: () => add({}) }, t('tracks.assignment_add')));
  return { el, refreshTracks, read: () => [...body.children].map((tr) => tr.read()) };
}

/** trackEditor({user, categories, doc: {tracks, assignments}, entries: Map}) -> {el, read()} */
export function trackEditor({ user, categories, doc, entries }) {
  const panels = h('div', { class: 'track-panels' });
  let assignments = null;
  const changed = () => assignments?.refreshTracks();
  const addPanel = (track) => panels.appendChild(trackPanel(track, entries, changed));
  (doc.tracks || []).forEach(addPanel);
  const trackNames = () => [...panels.children].map((p) => p.trackName()).filter(Boolean);
  assignments = assignmentRows(doc.assignments || [], { user, categories, trackNames });
  const el = h('div', { class: 'track-editor', testid: 'tracks-editor' }, panels,
    h('button', { type: 'button', class: 'btn', testid: 'track-add', onClick: () => { addPanel({ name: '', sla_days: 7 }); changed(); panels.lastChild.querySelector('input')?.focus(); } }, t('tracks.add_track')),
    h('h3', {}, t('tracks.assignments')), h('p', { class: 'hint' }, t('tracks.assignments_hint')), assignments.el);
  return {
    el,
    read() {
      const tracks = [...panels.children].map((p) => p.read());
      const names = tracks.map((tr) => tr.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new Error(t('tracks.name_twice', { name: twice }));
      return { tracks, assignments: assignments.read() };
    },
  };
}
