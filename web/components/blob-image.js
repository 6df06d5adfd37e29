// Protected images (thumbnails, scans) are fetched with the bearer token and
// shown through blob: URLs, which are revoked when the screen changes.
import { h } from '../dom.js';
import { apiBlob } from '../api.js';
import { t } from '../i18n.js';

const live = new Set();

export function trackObjectUrl(blob) {
  const url = URL.createObjectURL(blob);
  live.add(url);
  return url;
}

/** Called by the router on every screen change. */
export function revokeObjectUrls() {
  for (const url of live) URL.revokeObjectURL(url);
  live.clear();
}

/** An <img> that loads `path` with the token; shows a placeholder meanwhile. */
export function blobImage(path, { alt = '', testid = 'thumbnail', className = 'thumb' } = {}) {
  if (!path) return h('span', { class: 'thumb-empty' }, t('common.none'));
  const img = h('img', { alt, class: className, testid, loading: 'lazy', 'data-state': 'loading' });
  apiBlob(path)
    .then(({ blob }) => {
      img.src = trackObjectUrl(blob);
      img.dataset.state = 'loaded';
    })
    .catch(() => {
      img.dataset.state = 'error';
      img.alt = `${alt} (${t('common.load_failed')})`;
    });
  return img;
}
