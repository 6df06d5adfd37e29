// The department filter, always a select of department names: a reviewer picks
// among their own departments, the centre and the admin among all known ones.
import { select } from '../dom.js';
import { t, codeLabel } from '../i18n.js';

const KNOWN_DEPTS = ['IM', 'EE'];

export function deptControl(user, testid) {
  const all = user.roles.includes('center') || user.roles.includes('admin');
  const codes = all ? KNOWN_DEPTS : user.dept;
  // `datalist` stays for callers that place it next to the control (none is needed for a select).
  const el = select({ name: 'dept', testid }, codes.map((d) => ({ value: d, label: codeLabel('dept', d, d) })), { empty: t('common.all') });
  el.datalist = null;
  return el;
}
