// The department filter: a reviewer picks among their own departments; the
// centre may type any department code (suggestions from the known ones).
import { h, select, uid } from '../dom.js';
import { t, codeLabel } from '../i18n.js';

const KNOWN_DEPTS = ['IM', 'EE'];

export function deptControl(user, testid) {
  if (!user.roles.includes('center') && !user.roles.includes('admin')) {
    return select({ name: 'dept', testid }, user.dept.map((d) => ({ value: d, label: codeLabel('dept', d, d) })), { empty: t('common.all') });
  }
  const listId = uid('depts');
  const input = h('input', { type: 'text', name: 'dept', testid, list: listId, placeholder: t('common.all'), autocomplete: 'off' });
  const list = h('datalist', { id: listId }, KNOWN_DEPTS.map((d) => h('option', { value: d }, codeLabel('dept', d, d))));
  input.datalist = list;
  return input;
}
