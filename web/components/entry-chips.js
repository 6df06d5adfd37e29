// Catalog entries picked by search and shown by name, each a removable chip. What tracks and
// graduation thresholds store are the entries' keys; the admin never types or reads one.
// entryChips({keys, entries, testid, pickerTestid, label, onAdd}) -> {el, picker, keys()}
//   entries: Map key -> catalog entry (entry-names.js), for the names of the keys given.
import { h } from '../dom.js';
import { t, pick } from '../i18n.js';
import { catalogPicker } from './catalog-picker.js';
import { entryName } from './entry-names.js';

export function entryChips({ keys = [], entries = new Map(), testid, pickerTestid, label, onAdd = () => {} }) {
  const chips = h('ul', { class: 'chips', testid: `${testid}-list` });
  function addChip(key, name) {
    if ([...chips.children].some((li) => li.dataset.key === key)) return;
    const li = h('li', { class: 'chip', testid, 'data-key': key }, name, ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `${testid}-remove`, 'aria-label': t('tracks.remove_entry', { name }), onClick: () => li.remove() }, '×'));
    chips.appendChild(li);
  }
  keys.forEach((key) => addChip(key, entryName(entries, key)));
  const picker = catalogPicker({
    testid: pickerTestid, label,
    onSelect: (entry) => {
      if (!entry) return;
      addChip(entry.key, pick(entry.name, entry.name_en));
      onAdd(entry);
      picker.setEntry(null);
    },
  });
  return { chips, picker, keys: () => [...chips.children].map((li) => li.dataset.key) };
}
