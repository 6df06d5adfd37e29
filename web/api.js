// Calls to the gateway's /api/... paths with the bearer token.
// Errors come back as ApiError with a message in the current language and `fields` {name: message}
// for the form to show next to each field (docs/CONVENTIONS.md, "Errors"):
//   {"error": {"code", "message", "message_en"}}                  -> code + message
//   {"error": {..., "field": name}}  (a rule about one field)     -> fields {name: message}
//   422 {"error": {...}, "detail": [{"loc", "msg", "type"}]}       -> code + message, fields from detail
//   (FastAPI's bare {"detail": [...]} is mapped the same way)
import { t, isEnglish, has } from './i18n.js';
import { getToken, getRefreshToken } from './session.js';
import { renew } from './oidc.js';

export class ApiError extends Error {
  constructor(status, code, message, fields = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** Path plus the query's non-empty values. */
export function buildUrl(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

function validationMessage(item) {
  const key = `validation.${item.type}`;
  if (!isEnglish() && has(key)) return t(key);
  return String(item.msg || '').replace(/^Value error, /, '');
}

function fieldName(loc) {
  const names = (loc || []).filter((p) => typeof p === 'string' && !['body', 'query', 'path', 'form'].includes(p));
  return names.length ? names[names.length - 1] : '';
}

/** FastAPI's 422 detail list -> {fields: {name: message}, loose: [messages without a field]}. */
function validationFields(detail) {
  const fields = {};
  const loose = [];
  for (const item of detail) {
    const name = fieldName(item.loc);
    const text = validationMessage(item);
    if (name) fields[name] = fields[name] ? `${fields[name]}; ${text}` : text;
    else loose.push(text);
  }
  return { fields, loose };
}

/** Turns a status and a response body (text) into an ApiError (the kit's 422 carries both shapes). */
export function errorFrom(status, bodyText) {
  let body;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    body = null;
  }
  const details = status === 422 && Array.isArray(body?.detail) ? validationFields(body.detail) : null;
  if (body?.error) {
    const e = body.error;
    const message = (isEnglish() ? e.message_en || e.message : e.message || e.message_en) || t('error.generic');
    const fields = { ...(details?.fields || {}), ...(e.field ? { [e.field]: message } : {}) };
    const error = new ApiError(status, e.code || `http_${status}`, message, fields);
    error.body = e; // the whole error (e.g. a roster's rows)
    return error;
  }
  if (details) {
    const summary = [t('error.validation'), ...details.loose].join(' ');
    return new ApiError(status, 'validation_error', summary, details.fields);
  }
  if (typeof body?.detail === 'string') return new ApiError(status, `http_${status}`, body.detail);
  if (status === 401) return new ApiError(status, 'unauthorized', t('error.unauthorized'));
  if (status === 403) return new ApiError(status, 'forbidden', t('error.forbidden'));
  if (status === 404) return new ApiError(status, 'not_found', t('error.not_found'));
  if (status === 413) return new ApiError(status, 'too_large', t('error.too_large'));
  return new ApiError(status, `http_${status}`, t('error.http', { status }));
}

function authHeaders(extra = {}) {
  const token = getToken();
  const headers = { Accept: 'application/json', ...extra };
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

function signalUnauthorized(status) {
  if (status === 401 && getToken()) window.dispatchEvent(new CustomEvent('certhub:unauthorized'));
}

/** A 401 while a refresh token is held: renew the access token once; true when the call may be retried. */
async function renewedAfter(status) {
  return status === 401 && Boolean(getRefreshToken()) && renew();
}

/** fetch with the bearer token; on a 401 the token is renewed and the call made once more. */
async function fetchSignedIn(url, init, extraHeaders = {}) {
  let response = await fetch(url, { ...init, headers: authHeaders(extraHeaders) });
  if (await renewedAfter(response.status)) response = await fetch(url, { ...init, headers: authHeaders(extraHeaders) });
  return response;
}

/**
 * api(path, {method, query, json, form}) -> parsed JSON (or null for 204).
 * `form` is a FormData (multipart); `json` any JSON-able value.
 */
export async function api(path, { method = 'GET', query, json, form, signal } = {}) {
  const init = { method, signal };
  const extra = {};
  if (json !== undefined) {
    extra['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  let response;
  try {
    response = await fetchSignedIn(buildUrl(path, query), init, extra);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await response.text();
  if (!response.ok) {
    signalUnauthorized(response.status);
    throw errorFrom(response.status, text);
  }
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Multipart upload through XMLHttpRequest so the caller can show progress:
 * onProgress(fraction 0..1). Resolves with the parsed JSON answer.
 */
export async function apiUpload(path, form, options = {}) {
  try {
    try {
      return await uploadOnce(path, form, options);
    } catch (err) {
      if (!(err instanceof ApiError) || !(await renewedAfter(err.status))) throw err;
      return await uploadOnce(path, form, options);
    }
  } catch (err) {
    if (err instanceof ApiError) signalUnauthorized(err.status);
    throw err;
  }
}

function uploadOnce(path, form, { method = 'POST', onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    for (const [key, value] of Object.entries(authHeaders())) xhr.setRequestHeader(key, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        try {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
        } catch {
          resolve(xhr.responseText);
        }
      } else {
        reject(errorFrom(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', t('error.network')));
    xhr.send(form);
  });
}

/** A protected file (scan, thumbnail, export) as a Blob. */
export async function apiBlob(path, { query } = {}) {
  let response;
  try {
    response = await fetchSignedIn(buildUrl(path, query), {}, { Accept: '*/*' });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) {
    signalUnauthorized(response.status);
    throw errorFrom(response.status, await response.text());
  }
  const blob = await response.blob();
  return { blob, filename: filenameFrom(response.headers.get('Content-Disposition')) };
}

function filenameFrom(disposition) {
  if (!disposition) return '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : '';
}

/** Downloads a protected file (CSV/XLSX export) under its server-given name. */
export async function apiDownload(path, { query, fallbackName = 'download' } = {}) {
  const { blob, filename } = await apiBlob(path, { query });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename || fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** List answers are {"items": [...], "next_cursor"}; plain arrays are accepted too. */
export function itemsOf(answer) {
  if (Array.isArray(answer)) return answer;
  if (answer && Array.isArray(answer.items)) return answer.items;
  if (answer && Array.isArray(answer.rows)) return answer.rows;
  return [];
}

export function cursorOf(answer) {
  return (answer && !Array.isArray(answer) && answer.next_cursor) || null;
}

/** Follows next_cursor up to maxPages pages and returns all items. */
export async function fetchAll(path, query = {}, { maxPages = 20, limit = 100 } = {}) {
  const all = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await api(path, { query: { ...query, limit, cursor } });
    all.push(...itemsOf(answer));
    cursor = cursorOf(answer);
    if (!cursor) break;
  }
  return all;
}
