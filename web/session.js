// The signed-in user: the bearer token lives in localStorage; the user's
// name, roles and departments are read from the token's claims (the
// dev-login answer's `user` object, when present, fills any gap).
const TOKEN_KEY = 'certhub.token';
const USER_KEY = 'certhub.user';

export const ROLES = ['student', 'reviewer', 'center', 'admin'];

function decodeClaims(token) {
  try {
    const part = token.split('.')[1];
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function asArray(value) {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined || value === '') return [];
  return [value];
}

function normaliseUser(claims, extra = {}) {
  const merged = { ...claims, ...extra };
  const realmRoles = claims.realm_access?.roles || [];
  const roles = [...asArray(merged.roles), ...realmRoles].filter((r) => ROLES.includes(r));
  return {
    sub: merged.sub || merged.username || merged.preferred_username || '',
    name: merged.name || merged.preferred_username || merged.sub || '',
    email: merged.email || '',
    roles: [...new Set(roles)],
    dept: asArray(merged.dept),
    division: merged.division || '',
    program: merged.program || '',
    class: merged.class || '',
    exp: claims.exp || null,
  };
}

export function getToken() {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Stores a dev-login answer: {access_token, ..., user?}. */
export function saveSession(answer) {
  const token = answer.access_token;
  const user = normaliseUser(decodeClaims(token), answer.user || {});
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  return user;
}

export function clearSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

/** The current user, or null when signed out or the token has expired. */
export function getUser() {
  const token = getToken();
  if (!token) return null;
  let user;
  try {
    user = JSON.parse(localStorage.getItem(USER_KEY) || 'null');
  } catch {
    user = null;
  }
  if (!user) user = normaliseUser(decodeClaims(token));
  if (user.exp && user.exp * 1000 < Date.now()) {
    clearSession();
    return null;
  }
  return user;
}

export function hasRole(user, ...roles) {
  return Boolean(user) && roles.some((r) => user.roles.includes(r));
}

/** The role whose home screen opens after sign-in (most privileged first). */
export function primaryRole(user) {
  return ['admin', 'center', 'reviewer', 'student'].find((r) => user?.roles.includes(r)) || '';
}
