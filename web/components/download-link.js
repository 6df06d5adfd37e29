// A real link to a protected file (export.csv / export.xlsx): clicking it
// downloads through fetch with the bearer token; the href shows where.
import { h } from '../dom.js';
import { apiDownload, buildUrl } from '../api.js';

export function downloadLink({ path, query, label, testid, fallbackName, onError }) {
  const href = buildUrl(path, query);
  const link = h('a', { href, class: 'btn', testid, download: fallbackName }, label);
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    link.setAttribute('aria-busy', 'true');
    try {
      await apiDownload(path, { query, fallbackName });
    } catch (err) {
      onError?.(err);
    } finally {
      link.removeAttribute('aria-busy');
    }
  });
  return link;
}
