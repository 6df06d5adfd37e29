import { tokenWith, epoch } from './setup.js';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { setLang } from '../i18n.js';
import { api, ApiError, buildUrl, errorFrom, fetchAll, itemsOf, cursorOf } from '../api.js';

/** The kit's answer to a request pydantic refused (certhub_kit.http.install_error_handlers). */
const KIT_422 = JSON.stringify({
  error: { code: 'invalid', message: '輸入資料有誤，請檢查欄位：email', message_en: 'Invalid input; check: email' },
  detail: [
    { loc: ['body', 'email'], msg: 'String should have at most 254 characters', type: 'string_too_long' },
    { loc: ['body', 'score'], msg: 'Value error, the score must be a number', type: 'value_error' },
    { loc: ['body'], msg: 'Field required', type: 'missing' },
  ],
});

let calls;

function answer(status, body = '', headers = {}) {
  return { ok: status >= 200 && status < 300, status, text: async () => body, headers: new Headers(headers) };
}

beforeEach(() => {
  setLang('zh-TW');
  localStorage.clear();
  calls = [];
});

test("the kit's 422 maps each field to its message, in the user's language", () => {
  const error = errorFrom(422, KIT_422);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'invalid');
  assert.equal(error.message, '輸入資料有誤，請檢查欄位：email');
  assert.deepEqual(error.fields, { email: '內容太長', score: 'the score must be a number' });

  setLang('en');
  const english = errorFrom(422, KIT_422);
  assert.equal(english.message, 'Invalid input; check: email');
  assert.equal(english.fields.email, 'String should have at most 254 characters');
});

test('a business rule naming its field shows its message at that field', () => {
  const body = JSON.stringify({ error: { code: 'required', message: '請填寫電子郵件', message_en: 'The email is required',
    field: 'email' } });
  const error = errorFrom(422, body);
  assert.equal(error.code, 'required');
  assert.deepEqual(error.fields, { email: '請填寫電子郵件' });
  setLang('en');
  assert.deepEqual(errorFrom(422, body).fields, { email: 'The email is required' });
});

test("FastAPI's own 422 (detail only) still maps its fields", () => {
  const body = JSON.stringify({ detail: [{ loc: ['query', 'limit'], msg: 'Input should be a valid integer',
    type: 'int_parsing' }] });
  const error = errorFrom(422, body);
  assert.equal(error.code, 'validation_error');
  assert.deepEqual(error.fields, { limit: '請輸入整數' });
});

test('other answers: the error code and message, or a message for the status', () => {
  const forbidden = errorFrom(403, JSON.stringify({ error: { code: 'forbidden', message: '沒有權限', message_en: 'No' } }));
  assert.equal(forbidden.code, 'forbidden');
  assert.equal(forbidden.message, '沒有權限');
  assert.deepEqual(forbidden.fields, {});
  assert.equal(errorFrom(401, '').message, '請先登入。');
  assert.equal(errorFrom(502, '<html>bad gateway</html>').message, '伺服器回應錯誤（502）。');
  assert.equal(errorFrom(502, '<html>bad gateway</html>').code, 'http_502');
});

test('buildUrl keeps only the values that are set', () => {
  assert.equal(buildUrl('/api/certificates', { status: 'submitted', dept: '', q: null, limit: 20 }),
    '/api/certificates?status=submitted&limit=20');
  assert.equal(buildUrl('/api/x?a=1', { b: '王' }), '/api/x?a=1&b=%E7%8E%8B');
  assert.equal(buildUrl('/api/x', {}), '/api/x');
});

test('api() sends the bearer token and JSON, and answers the parsed JSON', async () => {
  localStorage.setItem('certhub.token', tokenWith({ sub: 's1100001', exp: epoch(600) }));
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    return answer(201, JSON.stringify({ id: 'c1' }));
  };
  const created = await api('/api/certificates', { method: 'POST', json: { entry_id: 'e1' } });
  assert.deepEqual(created, { id: 'c1' });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.body, '{"entry_id":"e1"}');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.match(calls[0].init.headers.Authorization, /^Bearer /);
});

test('api() answers null for an empty body and throws ApiError with the fields on a 422', async () => {
  globalThis.fetch = async () => answer(204, '');
  assert.equal(await api('/api/certificates/c1', { method: 'DELETE' }), null);
  globalThis.fetch = async () => answer(422, KIT_422);
  await assert.rejects(api('/api/certificates', { method: 'POST', json: {} }), (error) => {
    assert.equal(error.status, 422);
    assert.equal(error.fields.email, '內容太長');
    return true;
  });
});

test('api() reports a network failure as such, and a 401 while signed in to the app', async () => {
  globalThis.fetch = async () => { throw new TypeError('fetch failed'); };
  await assert.rejects(api('/api/x'), (error) => error.code === 'network' && error.message.startsWith('無法連線'));

  localStorage.setItem('certhub.token', tokenWith({ sub: 's1100001', exp: epoch(600) }));
  let signalled = false;
  window.addEventListener('certhub:unauthorized', () => { signalled = true; }, { once: true });
  globalThis.fetch = async () => answer(401, JSON.stringify({ error: { code: 'unauthorized', message: '請重新登入',
    message_en: 'Sign in again' } }));
  await assert.rejects(api('/api/x'), (error) => error.status === 401 && error.message === '請重新登入');
  assert.equal(signalled, true);
});

test('list answers: items and cursors; fetchAll follows next_cursor', async () => {
  assert.deepEqual(itemsOf({ items: [1, 2] }), [1, 2]);
  assert.deepEqual(itemsOf([3]), [3]);
  assert.deepEqual(itemsOf({ rows: [4] }), [4]);
  assert.deepEqual(itemsOf(null), []);
  assert.equal(cursorOf({ items: [], next_cursor: 'abc' }), 'abc');
  assert.equal(cursorOf([1]), null);

  const pages = { '': { items: [1, 2], next_cursor: 'p2' }, p2: { items: [3], next_cursor: null } };
  globalThis.fetch = async (url) => {
    calls.push(url);
    const cursor = new URL(url, 'http://x').searchParams.get('cursor') || '';
    return answer(200, JSON.stringify(pages[cursor]));
  };
  assert.deepEqual(await fetchAll('/api/certificates', { status: 'submitted' }, { limit: 2 }), [1, 2, 3]);
  assert.deepEqual(calls, ['/api/certificates?status=submitted&limit=2', '/api/certificates?status=submitted&limit=2&cursor=p2']);
});
