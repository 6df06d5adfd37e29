// The catalog entry's validity (never / N years from the issue date / until a fixed date) as one field.
import { h, field, select, uid } from '../dom.js';
import { t } from '../i18n.js';

/** validityField(validity) -> {el (a labelled form field), read()} where read() is the API's {"kind", …}. */
export function validityField(validity) {
  const v = validity || { kind: 'never' };
  const kind = select({ id: uid('validity'), name: 'validity', testid: 'catalog-form-validity', value: v.kind },
    ['never', 'years', 'until'].map((k) => ({ value: k, label: t(`validity.${k}`) })));
  const years = h('input', { type: 'number', min: '1', max: '50', name: 'validity_years', testid: 'catalog-form-validity-years',
    value: v.years ?? '', 'aria-label': t('validity.years_n') });
  const until = h('input', { type: 'date', name: 'validity_date', testid: 'catalog-form-validity-date', value: v.date ?? '',
    'aria-label': t('validity.date') });
  const sync = () => { years.hidden = kind.value !== 'years'; until.hidden = kind.value !== 'until'; };
  kind.addEventListener('change', sync);
  sync();
  const el = field(t('validity.label'), kind);
  el.append(years, until);
  return {
    el,
    read() {
      if (kind.value === 'years') return { kind: 'years', years: Number(years.value) };
      if (kind.value === 'until') return { kind: 'until', date: until.value };
      return { kind: 'never' };
    },
  };
}
