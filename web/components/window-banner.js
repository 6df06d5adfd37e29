// The reward application window (GET /api/rewards/window) as a banner.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { academicYearLabel, formatDateTime } from '../format.js';

/** windowBanner() -> {el, ready: Promise<window|null>} */
export function windowBanner() {
  const el = h('div', { class: 'banner', testid: 'window-banner', role: 'status', 'aria-live': 'polite' }, t('common.loading'));
  const ready = api('/api/rewards/window')
    .then((w) => {
      if (!w) {
        replace(el, t('window.none'));
        el.dataset.open = 'false';
        return null;
      }
      el.dataset.open = String(Boolean(w.is_open));
      el.classList.add(w.is_open ? 'banner-open' : 'banner-closed');
      replace(el,
        h('strong', {}, t('window.title', { year: academicYearLabel(w.academic_year) })), ' ',
        `${formatDateTime(w.opens_at)} – ${formatDateTime(w.closes_at)}`, ' ',
        h('span', { class: 'badge', testid: 'window-state' }, w.is_open ? t('window.open') : t('window.closed')));
      return w;
    })
    .catch((err) => {
      replace(el, err.message);
      el.dataset.open = 'unknown';
      return null;
    });
  return { el, ready };
}
