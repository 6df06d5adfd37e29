// Minimal browser globals for the client's modules under node's test runner: plain objects, no DOM
// library. Imported first by every test file, before the module under test reads them at import.
class MemoryStorage {
  constructor() {
    this.items = new Map();
  }

  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }

  setItem(key, value) {
    this.items.set(key, String(value));
  }

  removeItem(key) {
    this.items.delete(key);
  }

  clear() {
    this.items.clear();
  }
}

globalThis.localStorage = new MemoryStorage();
globalThis.sessionStorage = new MemoryStorage();
globalThis.window = new EventTarget();
globalThis.document = { documentElement: { lang: '' }, title: '' };

/** A JWT-shaped token (unsigned: the client only reads the claims) with these claims. */
export function tokenWith(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

/** Seconds since the epoch, `offset` seconds from now. */
export function epoch(offset = 0) {
  return Math.floor(Date.now() / 1000) + offset;
}
