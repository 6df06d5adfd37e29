// Catalog categories (GET /api/catalog/categories -> [{code, name, name_en}]),
// fetched once per page load.
import { api, itemsOf } from '../api.js';
import { pick } from '../i18n.js';

let cached = null;

export function loadCategories() {
  if (!cached) {
    cached = api('/api/catalog/categories').then(itemsOf).catch(() => {
      cached = null;
      return [];
    });
  }
  return cached;
}

/** Select options: the value is the category's number, the label its name (staff read names, not numbers). */
export function categoryOptions(categories) {
  return categories.map((c) => ({ value: c.code, label: pick(c.name, c.name_en) }));
}

/** code -> display name, falling back to the code. */
export function categoryNamer(categories) {
  const byCode = new Map(categories.map((c) => [String(c.code), pick(c.name, c.name_en)]));
  return (code) => byCode.get(String(code)) || (code ?? '');
}
