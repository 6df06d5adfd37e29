// The department registry (GET /api/certificates/departments -> [{code, name,
// name_en, active, position}]), fetched once per page load (the router waits for
// it before drawing a signed-in screen, so deptLabel can answer at once).
import { api, itemsOf } from '../api.js';
import { pick, has, t } from '../i18n.js';

let cached = null;
let byCode = new Map();
let active = [];

export function loadDepartments({ reload = false } = {}) {
  if (!cached || reload) {
    cached = api('/api/certificates/departments').then(itemsOf).then((items) => {
      byCode = new Map(items.map((d) => [d.code, d]));
      active = items;
      return items;
    }).catch(() => {
      cached = null;
      return [];
    });
  }
  return cached;
}

/** After the admin changed the registry: the next screen reads it again. */
export function departmentsChanged(items) {
  byCode = new Map(items.map((d) => [d.code, d]));
  active = items.filter((d) => d.active);
  cached = Promise.resolve(active);
}

/** The registry's active departments, in their order (as last loaded). */
export function knownDepartments() {
  return active;
}

/** A department's name in the current language; unknown codes as themselves. */
export function deptLabel(code) {
  if (!code) return '';
  const d = byCode.get(code);
  if (d) return pick(d.name, d.name_en);
  return has(`dept.${code}`) ? t(`dept.${code}`) : code;
}

/** Select options for departments: value = code, label = name. */
export function departmentOptions(codes) {
  const list = codes ? codes.map((c) => byCode.get(c) || { code: c }) : active;
  return list.map((d) => ({ value: d.code, label: deptLabel(d.code) }));
}
