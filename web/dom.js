// Safe DOM building: every string becomes a text node or an attribute value,
// never markup. No module of the client assigns innerHTML.

let idCounter = 0;

/** A fresh unique id for label/for and aria-describedby pairs. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

function setAttr(el, key, value) {
  if (value === null || value === undefined || value === false) return;
  if (key === 'class') {
    el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
  } else if (key === 'testid') {
    el.setAttribute('data-testid', value);
  } else if (key === 'style' && typeof value === 'object') {
    Object.assign(el.style, value);
  } else if (key.startsWith('on') && typeof value === 'function') {
    el.addEventListener(key.slice(2).toLowerCase(), value);
  } else if (key === 'value' && 'value' in el) {
    el.value = value;
  } else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'multiple') {
    el[key] = Boolean(value);
    if (value) el.setAttribute(key, '');
  } else {
    el.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(el, c));
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

/** h('a', {href, class, testid, onClick}, 'text', childNode, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) setAttr(el, key, value);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Same as h() for SVG elements (text children become text nodes). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    el.setAttribute(key === 'testid' ? 'data-testid' : key, String(value));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/**
 * A labelled form field. `control` is an input/select/textarea element; it
 * gets an id if it has none, and the label points at it.
 */
export function field(label, control, { hint, required, wide } = {}) {
  if (!control.id) control.id = uid('fld');
  if (required) control.required = true;
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: ['field', wide && 'field-wide'] },
    h('label', { for: control.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hintEl);
}

/** <select> from [{value, label}] with an optional empty first option. */
export function select(attrs, options, { empty } = {}) {
  const el = h('select', attrs);
  if (empty !== undefined) el.appendChild(h('option', { value: '' }, empty));
  for (const opt of options) {
    el.appendChild(h('option', { value: opt.value, selected: String(opt.value) === String(attrs.value ?? '') }, opt.label));
  }
  if (attrs.value !== undefined && attrs.value !== null) el.value = String(attrs.value);
  return el;
}

/** A polite live region for a screen's or a form's messages. */
export function messageRegion(testid = 'form-message') {
  const el = h('div', { class: 'message', role: 'status', 'aria-live': 'polite', testid });
  return {
    el,
    show(text, kind = 'info') {
      el.className = `message message-${kind}`;
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      replace(el, text);
    },
    clear() {
      el.className = 'message';
      clear(el);
    },
  };
}

/** Puts per-field messages (from a 422) under the named controls of a form. */
export function showFieldErrors(form, fields) {
  clearFieldErrors(form);
  let first = null;
  for (const [name, text] of Object.entries(fields || {})) {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) continue;
    const msg = h('p', { class: 'field-error', id: `${control.id || uid('e')}-error` }, text);
    control.setAttribute('aria-invalid', 'true');
    const described = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', [described, msg.id].filter(Boolean).join(' '));
    control.closest('.field')?.appendChild(msg);
    first = first || control;
  }
  first?.focus();
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((el) => {
    const control = form.querySelector(`[aria-describedby~="${CSS.escape(el.id)}"]`);
    if (control) {
      const rest = control.getAttribute('aria-describedby').split(' ').filter((x) => x !== el.id);
      if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
      else control.removeAttribute('aria-describedby');
      control.removeAttribute('aria-invalid');
    }
    el.remove();
  });
}

/**
 * A responsive table. columns: [{label, render(row) -> node|string, class}].
 * On narrow screens each cell shows its column label (data-label).
 */
export function table({ columns, rows, rowAttrs, testid, caption, empty }) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label))));
  const body = h('tbody');
  for (const row of rows) {
    const tr = h('tr', rowAttrs ? rowAttrs(row) : {});
    for (const c of columns) {
      const value = c.render(row);
      tr.appendChild(h('td', { 'data-label': c.label, class: c.class }, value ?? ''));
    }
    body.appendChild(tr);
  }
  if (!rows.length && empty) {
    body.appendChild(h('tr', { class: 'empty-row' }, h('td', { colspan: columns.length }, empty)));
  }
  // Focusable: a table wider than the screen scrolls inside its wrapper, by keyboard too.
  return h('div', { class: 'table-wrap', tabindex: '0' },
    h('table', { class: 'responsive', testid }, caption ? h('caption', {}, caption) : null, head, body));
}

/** Disables a button while an async action runs; returns the action's result. */
export async function busy(button, action) {
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = wasDisabled;
    button.removeAttribute('aria-busy');
  }
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** The screen's <h1>; the router focuses it after each screen change. */
export function pageTitle(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), ...extra);
}
