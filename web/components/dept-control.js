// The department filter, always a select of department names: a reviewer picks
// among their own departments, the centre and the admin among the registry's.
import { select } from '../dom.js';
import { t } from '../i18n.js';
import { departmentOptions } from './departments.js';

export function deptControl(user, testid, { withAll = true, name = 'dept' } = {}) {
  const all = user.roles.includes('center') || user.roles.includes('admin');
  const el = select({ name, testid }, departmentOptions(all ? null : user.dept), withAll ? { empty: t('common.all') } : {});
  el.datalist = null;
  return el;
}
