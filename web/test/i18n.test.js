import './setup.js';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { t, has, setLang, getLang, isEnglish, pick, codeLabel, apiLabel } from '../i18n.js';
import zhTW from '../locales/zh-TW.js';
import en from '../locales/en.js';

beforeEach(() => setLang('zh-TW'));

test('zh-TW is the default language and its texts are used', () => {
  assert.equal(getLang(), 'zh-TW');
  assert.equal(t('error.network'), '無法連線到伺服器，請檢查網路後再試。');
});

test('placeholders are filled; an unknown placeholder stays as written', () => {
  assert.equal(t('error.http', { status: 503 }), '伺服器回應錯誤（503）。');
  assert.equal(t('error.http', {}), '伺服器回應錯誤（{status}）。');
  setLang('en');
  assert.equal(t('format.academic_year', { roc: 114, start: 2025, end: '26' }), 'AY 114 (2025–26)');
});

test('an English text missing falls back to zh-TW, an unknown key to the key itself', () => {
  const zhOnly = Object.keys(zhTW).find((key) => !(key in en));
  assert.ok(zhOnly, 'the validation messages exist in zh-TW only (English uses the server’s words)');
  setLang('en');
  assert.equal(t(zhOnly), zhTW[zhOnly]);
  assert.equal(has(zhOnly), true);
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(has('no.such.key'), false);
});

test('setLang switches the language, keeps the choice, relabels the page and tells the app', () => {
  let told = null;
  window.addEventListener('certhub:langchange', (event) => { told = event.detail; }, { once: true });
  setLang('en');
  assert.equal(isEnglish(), true);
  assert.equal(localStorage.getItem('certhub.lang'), 'en');
  assert.equal(document.documentElement.lang, 'en');
  assert.equal(document.title, 'CertHub Student Certificates');
  assert.equal(told, 'en');
  setLang('fr'); // not a language of the client: ignored
  assert.equal(getLang(), 'en');
});

test('API pairs and code labels follow the language', () => {
  assert.equal(pick('資訊管理學系', 'Information Management'), '資訊管理學系');
  assert.equal(apiLabel('status', 'approved', '審核通過', 'Approved'), '審核通過');
  assert.equal(codeLabel('status', 'no_such_code', '伺服器的標籤'), '伺服器的標籤');
  setLang('en');
  assert.equal(pick('資訊管理學系', 'Information Management'), 'Information Management');
  assert.equal(pick('只有中文', ''), '只有中文');
  assert.equal(apiLabel('status', 'approved', '審核通過', 'Approved'), 'Approved');
});
