// A form generated from a JSON document whose shape the client does not fix
// (review tracks and rules): booleans become checkboxes, numbers and strings
// inputs, arrays of flat objects editable tables, nested objects fieldsets.
// editor(value).read() gives the edited document back in the same shape.
import { h, uid } from '../dom.js';
import { t, has } from '../i18n.js';

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function keyLabel(key) {
  return has(`field.${key}`) ? t(`field.${key}`) : String(key);
}

function scalarEditor(value, key, label) {
  const id = uid('json');
  const testid = `json-${key}`;
  if (typeof value === 'boolean') {
    const input = h('input', { type: 'checkbox', id, checked: value, testid, 'aria-label': label });
    return { el: input, read: () => input.checked };
  }
  if (typeof value === 'number') {
    const input = h('input', { type: 'number', id, value: String(value), step: 'any', testid, 'aria-label': label });
    return { el: input, read: () => (input.value === '' ? null : Number(input.value)) };
  }
  const input = h('input', { type: 'text', id, value: value ?? '', testid, 'aria-label': label });
  return { el: input, read: () => (input.value === '' && value === null ? null : input.value) };
}

function blankOf(v) {
  if (typeof v === 'boolean') return false;
  if (typeof v === 'number') return 0;
  if (Array.isArray(v)) return [];
  if (isPlainObject(v)) return {};
  return v === null ? null : '';
}

function blank(sample) {
  return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, blankOf(v)]));
}

const isStringList = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A text input for a non-scalar cell: lists as "a, b", null as empty, the rest as JSON. */
function textCellEditor(value, key, label) {
  const testid = `json-${key}`;
  if (isStringList(value)) {
    const input = h('input', { type: 'text', id: uid('json'), value: value.join(', '), testid, 'aria-label': label, title: t('tracks.list_hint') });
    return { el: input, read: () => input.value.split(',').map((s) => s.trim()).filter(Boolean) };
  }
  const shown = value === null ? '' : JSON.stringify(value);
  const input = h('input', { type: 'text', id: uid('json'), value: shown, testid, 'aria-label': label, title: t('tracks.loose_hint') });
  return {
    el: input,
    read: () => {
      const text = input.value.trim();
      if (!text) return value === null ? null : blankOf(value);
      if (/^[[{]/.test(text)) {
        try {
          return JSON.parse(text);
        } catch {
          throw new Error(t('tracks.bad_json', { key: label }));
        }
      }
      return text;
    },
  };
}

function cellEditor(value, key) {
  if (value !== null && isScalar(value)) return scalarEditor(value, key, keyLabel(key));
  return textCellEditor(value, key, keyLabel(key));
}

function tableEditor(rows, key) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const body = h('tbody');
  const editors = [];
  function addRow(row) {
    const cells = columns.map((c) => ({ key: c, ed: cellEditor(row[c] ?? null, c) }));
    const tr = h('tr', { testid: `json-${key}-row` }, cells.map((c) => h('td', { 'data-label': keyLabel(c.key) }, c.ed.el)));
    const entry = { tr, cells };
    tr.appendChild(h('td', {}, h('button', {
      type: 'button', class: 'btn btn-small btn-ghost', testid: `json-${key}-remove`,
      onClick: () => { tr.remove(); editors.splice(editors.indexOf(entry), 1); },
    }, t('common.remove'))));
    editors.push(entry);
    body.appendChild(tr);
  }
  rows.forEach(addRow);
  const add = h('button', { type: 'button', class: 'btn btn-small', testid: `json-${key}-add`, onClick: () => addRow(blank(rows[0] || {})) }, t('common.add_row'));
  return {
    el: h('div', { class: 'table-wrap' },
      h('table', { class: 'responsive json-table', testid: `json-${key}` },
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, keyLabel(c))), h('th', {}, ''))), body),
      rows.length ? add : null),
    read: () => editors.map((e) => Object.fromEntries(e.cells.map((c) => [c.key, c.ed.read()]))),
  };
}

function rawEditor(value, key) {
  const area = h('textarea', { rows: '6', class: 'json-raw', testid: `json-${key}`, 'aria-label': keyLabel(key) }, JSON.stringify(value, null, 2));
  return {
    el: area,
    read: () => {
      try {
        return JSON.parse(area.value);
      } catch {
        throw new Error(t('tracks.bad_json', { key: keyLabel(key) }));
      }
    },
  };
}

/** editor(value, key) -> {el, read()} */
export function editor(value, key = 'root') {
  if (isScalar(value)) return scalarEditor(value, key, keyLabel(key));
  if (Array.isArray(value) && value.length && value.every(isPlainObject)) return tableEditor(value, key);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    const input = h('input', { type: 'text', id: uid('json'), value: value.join(', '), testid: `json-${key}`, 'aria-label': keyLabel(key) });
    return { el: input, read: () => input.value.split(',').map((s) => s.trim()).filter(Boolean) };
  }
  if (isPlainObject(value)) {
    const parts = Object.entries(value).map(([k, v]) => ({ k, ed: editor(v, k) }));
    const el = h('fieldset', { class: 'json-object', testid: `json-${key}` },
      key !== 'root' ? h('legend', {}, keyLabel(key)) : null,
      parts.map(({ k, ed }) => {
        if (ed.el.tagName === 'INPUT') return h('div', { class: 'field' }, h('label', { for: ed.el.id || '' }, keyLabel(k)), ed.el);
        if (ed.el.tagName === 'FIELDSET') return ed.el; // has its own legend
        return h('div', { class: 'json-block' }, h('h3', {}, keyLabel(k)), ed.el);
      }));
    return { el, read: () => Object.fromEntries(parts.map(({ k, ed }) => [k, ed.read()])) };
  }
  return rawEditor(value, key);
}
