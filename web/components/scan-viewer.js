// A modal viewer for a protected scan: images in <img>, PDFs in an <iframe>,
// both from a blob: URL fetched with the bearer token.
import { h, replace } from '../dom.js';
import { apiBlob } from '../api.js';
import { t } from '../i18n.js';
import { trackObjectUrl } from './blob-image.js';

function isPdf(blob, path) {
  return blob.type === 'application/pdf' || /\.pdf($|\?)/i.test(path);
}

export async function openScanViewer(path, title) {
  const body = h('div', { class: 'scan-body', 'aria-live': 'polite' }, t('common.loading'));
  const close = h('button', { type: 'button', class: 'btn', testid: 'scan-viewer-close' }, t('common.close'));
  const heading = h('h2', { id: 'scan-viewer-title' }, title || t('scan.title'));
  const dialog = h('dialog', { class: 'scan-viewer', testid: 'scan-viewer', 'aria-labelledby': heading.id },
    h('div', { class: 'dialog-head' }, heading, close), body);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  try {
    const { blob } = await apiBlob(path);
    const url = trackObjectUrl(blob);
    if (isPdf(blob, path)) {
      replace(body, h('iframe', { src: url, title: title || t('scan.title'), class: 'scan-frame', testid: 'scan-frame' }));
    } else {
      replace(body, h('img', { src: url, alt: title || t('scan.title'), class: 'scan-image', testid: 'scan-image' }));
    }
    body.appendChild(h('p', {}, h('a', { href: url, target: '_blank', rel: 'noopener' }, t('scan.open_new'))));
  } catch (err) {
    replace(body, h('p', { class: 'message message-error', role: 'alert' }, err.message));
  }
  return dialog;
}
