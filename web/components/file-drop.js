// A file field with drag-and-drop, an image preview and an upload progress
// bar. The real <input type=file> stays in the page (labelled, keyboard
// reachable) but is drawn as our own button in the page's language (the
// browser's own "Choose File / No file chosen" follows the browser's language,
// not the page's); dropping a file fills it.
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';

export const MAX_SCAN_BYTES = 2 * 1024 * 1024;
const SCAN_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/** 5 → "5 B", 1536 → "1.5 KiB", 2 MiB → "2.0 MiB". */
export function sizeLabel(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What the preview icon says: PDF, an image, or the file's own extension (a type the upload refuses). */
export function fileKind(file) {
  const ext = (file.name.includes('.') ? file.name.split('.').pop() : '').toLowerCase();
  if (file.type === 'application/pdf' || (!file.type && ext === 'pdf')) return { kind: 'pdf', label: 'PDF' };
  if (file.type.startsWith('image/')) return { kind: 'image', label: (ext || 'IMG').toUpperCase() };
  return { kind: 'other', label: (ext || '?').toUpperCase().slice(0, 5) };
}

/**
 * fileDrop({name, label, hint, testid, required}) ->
 *   {el, input, file(), check() -> error text | '', setProgress(0..1|null), reset()}
 */
export function fileDrop({ name, label, hint, testid, required: initiallyRequired = false, maxBytes = MAX_SCAN_BYTES, types = SCAN_TYPES }) {
  let required = initiallyRequired;
  const inputId = uid('file');
  const input = h('input', {
    type: 'file', id: inputId, name, accept: types.join(','), testid,
    class: 'file-input', required,
  });
  const preview = h('div', { class: 'file-preview', testid: `${testid}-preview`, 'aria-live': 'polite' });
  const progress = h('progress', {
    class: 'upload-progress', max: '100', value: '0', hidden: true,
    testid: `${testid}-progress`, 'aria-label': t('upload.progress'),
  });
  const progressText = h('span', { class: 'progress-text', 'aria-live': 'polite' });
  const hintEl = h('p', { class: 'hint', id: `${inputId}-hint` }, hint || t('upload.hint'));
  input.setAttribute('aria-describedby', hintEl.id);
  let previewUrl = null;

  const chosen = h('span', { class: 'file-chosen muted', testid: `${testid}-chosen` }, t('upload.none'));
  const zone = h('div', { class: 'dropzone', testid: `${testid}-dropzone` },
    h('p', { class: 'dropzone-text' }, t('upload.drop_here')),
    h('div', { class: 'file-choose-row' }, input,
      h('label', { for: inputId, class: 'btn btn-small file-choose', 'aria-hidden': 'true' }, t('upload.choose')), chosen),
    hintEl, preview, h('div', { class: 'progress-row' }, progress, progressText));

  function showPreview(file) {
    replace(chosen, file ? file.name : t('upload.none'));
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    if (!file) {
      replace(preview);
      return;
    }
    const caption = h('p', { class: 'file-name', testid: `${testid}-name` }, `${file.name} (${sizeLabel(file.size)})`);
    const { kind, label: kindLabel } = fileKind(file);
    if (kind === 'image') {
      previewUrl = URL.createObjectURL(file);
      replace(preview, h('img', { src: previewUrl, alt: t('upload.preview_alt'), class: 'preview-image' }), caption);
    } else {
      const warning = kind === 'other' && !types.includes(file.type)
        ? h('p', { class: 'field-error', testid: `${testid}-type-warning` }, t('upload.bad_type')) : null;
      replace(preview, h('span', { class: ['file-icon', `file-icon-${kind}`], testid: `${testid}-icon`, 'data-kind': kind, 'aria-hidden': 'true' }, kindLabel), caption, warning);
    }
  }

  input.addEventListener('change', () => showPreview(input.files[0]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (!event.dataTransfer?.files?.length) return;
    const transfer = new DataTransfer();
    transfer.items.add(event.dataTransfer.files[0]);
    input.files = transfer.files;
    showPreview(input.files[0]);
  });

  const mark = h('span', { class: 'req', 'aria-hidden': 'true', hidden: !required }, ' *');
  return {
    el: h('div', { class: 'field field-wide' }, h('label', { for: inputId }, label, mark), zone),
    input,
    file: () => input.files[0] || null,
    setRequired(value) {
      required = Boolean(value);
      input.required = required;
      mark.hidden = !required;
    },
    /** Client-side pre-check; the server checks the content for real. */
    check() {
      const file = input.files[0];
      if (!file) return required ? t('upload.required') : '';
      if (file.size > maxBytes) return t('upload.too_large', { max: sizeLabel(maxBytes) });
      if (file.type && !types.includes(file.type)) return t('upload.bad_type');
      return '';
    },
    setProgress(fraction) {
      if (fraction === null) {
        progress.hidden = true;
        replace(progressText);
        return;
      }
      const pct = Math.round(fraction * 100);
      progress.hidden = false;
      progress.value = pct;
      replace(progressText, `${pct}%`);
    },
    reset() {
      input.value = '';
      showPreview(null);
      this.setProgress(null);
    },
  };
}
