// Catalog entries by key (GET /api/catalog/entries?key=…): what tracks and
// reward standards store, shown to the admin by name. Answers are cached per page load.
import { api, itemsOf } from '../api.js';
import { pick } from '../i18n.js';

const known = new Map();
const BATCH = 200;

/** entriesByKey(keys) -> Promise<Map<key, entry>> (unknown keys are absent). */
export async function entriesByKey(keys) {
  const missing = [...new Set(keys)].filter((k) => k && !known.has(k));
  for (let i = 0; i < missing.length; i += BATCH) {
    const chunk = missing.slice(i, i + BATCH);
    const items = itemsOf(await api('/api/catalog/entries', { query: { key: chunk } }));
    items.forEach((e) => known.set(e.key, e));
    chunk.filter((k) => !known.has(k)).forEach((k) => known.set(k, null));
  }
  return new Map(keys.filter((k) => known.get(k)).map((k) => [k, known.get(k)]));
}

/** The entry's name in the current language, or the key when the catalog does not know it. */
export function entryName(entries, key) {
  const entry = entries.get(key);
  return entry ? pick(entry.name, entry.name_en) : key;
}
