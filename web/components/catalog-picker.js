// Catalog search as you type (可輸入關鍵字帶出證照名稱): an ARIA combobox over
// GET /api/catalog?q=&category=, debounced, stale answers aborted.
import { h, replace, uid, debounce } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t, pick } from '../i18n.js';

const DEBOUNCE_MS = 250;

/**
 * catalogPicker({testid, label, getCategory, onSelect, required})
 *   -> {el, input, setEntry(entry|null), entry()}
 * The chosen entry's id is carried by a hidden input named "entry_id".
 */
export function catalogPicker({ testid = 'cert-entry', label, getCategory = () => '', onSelect = () => {}, required = false }) {
  const listId = uid('listbox');
  const input = h('input', {
    type: 'text', id: uid('entry'), role: 'combobox', autocomplete: 'off',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    testid: `${testid}-search`, placeholder: t('catalog.search_placeholder'), required,
  });
  const hidden = h('input', { type: 'hidden', name: 'entry_id', testid: `${testid}-id` });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', hidden: true, testid: `${testid}-suggestions` });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  let entries = [];
  let active = -1;
  let chosen = null;
  let controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    const options = list.querySelectorAll('[role=option]');
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (options[index]) {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    }
  }

  function choose(entry) {
    chosen = entry;
    hidden.value = entry ? entry.id : '';
    input.value = entry ? pick(entry.name, entry.name_en) : '';
    close();
    onSelect(entry);
  }

  function render() {
    replace(list, entries.map((entry, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', 'data-id': entry.id,
      testid: `${testid}-option`, onMousedown: (e) => { e.preventDefault(); choose(entry); },
    }, h('span', { class: 'option-name' }, pick(entry.name, entry.name_en)),
    h('span', { class: 'option-meta' }, [entry.issuer, entry.national_code].filter(Boolean).join(' · ')),
    entry.aliases?.length ? h('span', { class: 'option-meta', testid: `${testid}-aliases` },
      t('catalog.also_known_as', { names: entry.aliases.join('、') })) : null)));
    list.hidden = entries.length === 0;
    input.setAttribute('aria-expanded', String(entries.length > 0));
    replace(status, entries.length ? t('catalog.suggestions', { n: entries.length }) : t('catalog.no_match'));
  }

  const search = debounce(async () => {
    const q = input.value.trim();
    controller?.abort();
    if (!q) {
      entries = [];
      close();
      replace(status);
      return;
    }
    controller = new AbortController();
    try {
      const answer = await api('/api/catalog', { query: { q, category: getCategory(), limit: 15 }, signal: controller.signal });
      entries = itemsOf(answer);
      active = -1;
      render();
    } catch (err) {
      if (err.name !== 'AbortError') replace(status, err.message);
    }
  }, DEBOUNCE_MS);

  input.addEventListener('input', () => {
    if (chosen) {
      chosen = null;
      hidden.value = '';
      onSelect(null);
    }
    search();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && entries.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      highlight(Math.min(active + 1, entries.length - 1));
    } else if (event.key === 'ArrowUp' && entries.length) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(entries[active]);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));

  const el = h('div', { class: 'field field-wide combobox' },
    h('label', { for: input.id }, label || t('cert.entry'), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'combo-wrap' }, input, list), hidden, status,
    h('p', { class: 'hint' }, t('catalog.missing_hint'), ' ',
      h('a', { href: '#/catalog-request', testid: 'catalog-request-link' }, t('nav.catalog_request'))));

  return {
    el,
    input,
    entry: () => chosen,
    setEntry(entry) {
      chosen = entry;
      hidden.value = entry ? entry.id : '';
      input.value = entry ? pick(entry.name, entry.name_en) : '';
    },
    refresh: () => (input.value.trim() && !chosen ? search() : undefined),
  };
}
