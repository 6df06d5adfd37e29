// Admin: the reward application window of an academic year, in Taipei time
// (PUT /api/rewards/windows/{year} {"opens_at", "closes_at"}, ISO 8601 +08:00).
import { h, field, select, messageRegion, showFieldErrors, clearFieldErrors, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions, academicYearLabel, currentAcademicYear, taipeiLocalToIso } from '../format.js';
import { windowBanner } from '../components/window-banner.js';

/** April 1 – April 30 of the academic year's second calendar year. */
function defaults(rocYear) {
  const april = Number(rocYear) + 1912;
  return { opens: `${april}-04-01T00:00:00`, closes: `${april}-04-30T23:59:59` };
}

export function render(root) {
  const message = messageRegion('window-message');
  let banner = windowBanner();
  const bannerHolder = h('div', {}, banner.el);
  const year = select({ name: 'year', testid: 'window-year', value: currentAcademicYear() }, academicYearOptions(4));
  const opens = h('input', { type: 'datetime-local', step: '1', name: 'opens_at', testid: 'window-opens', required: true });
  const closes = h('input', { type: 'datetime-local', step: '1', name: 'closes_at', testid: 'window-closes', required: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'window-save' }, t('common.save'));

  function fillDefaults() {
    const d = defaults(year.value);
    opens.value = d.opens;
    closes.value = d.closes;
  }
  year.addEventListener('change', fillDefaults);
  fillDefaults();

  const form = h('form', { class: 'form-grid', testid: 'window-form' },
    field(t('query.year'), year),
    field(t('windows.opens_at'), opens, { hint: t('windows.tz_hint'), required: true }),
    field(t('windows.closes_at'), closes, { hint: t('windows.tz_hint'), required: true }),
    h('div', { class: 'form-actions' }, save));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    clearFieldErrors(form);
    if (closes.value <= opens.value) {
      showFieldErrors(form, { closes_at: t('windows.order') });
      return;
    }
    save.disabled = true;
    try {
      await api(`/api/rewards/windows/${encodeURIComponent(year.value)}`, {
        method: 'PUT', json: { opens_at: taipeiLocalToIso(opens.value), closes_at: taipeiLocalToIso(closes.value) },
      });
      message.show(t('windows.saved', { year: academicYearLabel(year.value) }), 'success');
      banner = windowBanner();
      bannerHolder.replaceChildren(banner.el);
    } catch (err) {
      showFieldErrors(form, err.fields);
      message.show(err.message, 'error');
    } finally {
      save.disabled = false;
    }
  });

  root.append(pageTitle(t('windows.title')), h('h2', {}, t('windows.current')), bannerHolder,
    h('p', { class: 'lead' }, t('windows.intro')), message.el, form);
}
