// Language: zh-TW by default, English on request; the choice is kept in
// localStorage. t(key, params) looks a key up in the current dictionary,
// falls back to zh-TW, then to the key itself.
import zhTW from './locales/zh-TW.js';
import en from './locales/en.js';

const STORAGE_KEY = 'certhub.lang';
const DICTIONARIES = { 'zh-TW': zhTW, en };
export const LANGUAGES = ['zh-TW', 'en'];

function initialLang() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && DICTIONARIES[stored]) return stored;
  } catch {
    /* storage unavailable: use the default */
  }
  return 'zh-TW';
}

let current = initialLang();

export function getLang() {
  return current;
}

export function isEnglish() {
  return current === 'en';
}

export function setLang(lang) {
  if (!DICTIONARIES[lang]) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted */
  }
  applyDocumentLang();
  window.dispatchEvent(new CustomEvent('certhub:langchange', { detail: lang }));
}

export function applyDocumentLang() {
  document.documentElement.lang = current;
  document.title = t('app.title');
}

export function t(key, params) {
  let text = DICTIONARIES[current][key] ?? zhTW[key] ?? key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m));
  }
  return text;
}

/** true when the key exists (used for optional labels of API codes). */
export function has(key) {
  return key in DICTIONARIES[current] || key in zhTW;
}

/** Label for an API code with an API-provided zh label as fallback. */
export function codeLabel(prefix, code, apiLabel) {
  const key = `${prefix}.${code}`;
  if (has(key)) return t(key);
  return apiLabel || code || '';
}

/**
 * Label of a code the API labels itself (status_label / status_label_en):
 * the API's words in the current language first, then the dictionary.
 */
export function apiLabel(prefix, code, zh, english) {
  if (current === 'en') return english || (has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : zh || code || '');
  return zh || codeLabel(prefix, code);
}

/** Picks the English variant of an API pair (name/name_en) when in English. */
export function pick(zh, english) {
  return current === 'en' && english ? english : (zh ?? english ?? '');
}
