// The bank (and, where known, branch) name of a 7-digit transfer code, from the
// shipped list web/data/bank-head-offices.json (the rewards service's own list).
import { pick } from '../i18n.js';

let loaded = null;

/** bankNamer() -> Promise<(code) => {bank, branch|null} | null> */
export function bankNamer() {
  if (!loaded) {
    loaded = fetch('/data/bank-head-offices.json').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return loaded.then((doc) => (code) => {
    if (!doc || !/^\d{3}/.test(code || '')) return null;
    const exact = doc.codes?.[code];
    if (exact) return { bank: pick(exact.name, exact.name_en), branch: null };
    const head = doc.head_offices?.[code.slice(0, 3)];
    if (!head) return null;
    return { bank: pick(head.name, head.name_en), branch: code.length === 7 ? code.slice(3) : null };
  });
}
