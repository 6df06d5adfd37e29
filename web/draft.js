// What a person typed survives signing in again: before the app leaves for the provider's sign-in
// page, the open screen's form fields are kept in sessionStorage under its route, and put back
// when the same screen opens again after sign-in. Files cannot be kept (browsers forbid it).
const DRAFT_KEY = 'certhub.draft';
const SKIPPED_TYPES = new Set(['file', 'password', 'submit', 'button', 'reset']);

function controls(root) {
  return [...root.querySelectorAll('input[name], select[name], textarea[name]')]
    .filter((el) => !SKIPPED_TYPES.has(el.type));
}

/** The named form fields under `root`: [{name, value, checked}] in document order. */
export function captureFields(root) {
  return controls(root).map((el) => ({
    name: el.name, value: el.value, checked: el.type === 'checkbox' || el.type === 'radio' ? el.checked : undefined,
  }));
}

/** Puts captured values back into the fields of the same names (in order, for repeated names). */
export function restoreFields(root, fields) {
  const seen = {};
  for (const item of fields || []) {
    const index = seen[item.name] || 0;
    seen[item.name] = index + 1;
    const el = controls(root).filter((c) => c.name === item.name)[index];
    if (!el) continue;
    if (item.checked !== undefined) el.checked = item.checked;
    else el.value = item.value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

export function saveDraft(route, data) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ route, data, saved: Date.now() }));
  } catch {
    /* storage full or disabled: nothing to keep */
  }
}

/** The draft kept for `route` (removed once taken), or null. */
export function takeDraft(route) {
  let draft;
  try {
    draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || 'null');
  } catch {
    draft = null;
  }
  if (!draft || draft.route !== route) return null;
  sessionStorage.removeItem(DRAFT_KEY);
  return draft.data;
}
