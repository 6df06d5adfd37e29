// The signed-in user: the bearer token lives in localStorage; the user's
// name, roles and departments are read from the token's claims (the
// dev-login answer's `user` object, or the OIDC ID token's claims, fill any gap).
// With OIDC sign-in the refresh token and ID token are kept beside it, so an
// expired access token is renewed (oidc.js) instead of ending the session.
const TOKEN_KEY = 'certhub.token';
const USER_KEY = 'certhub.user';
const REFRESH_KEY = 'certhub.refresh_token';
const ID_TOKEN_KEY = 'certhub.id_token';

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

export function decodeTokenClaims(token) {
  return decodeClaims(token);
}

export function normaliseUser(claims, extra = {}) {
  const merged = { ...claims, ...extra };
  const realmRoles = claims.realm_access?.roles || [];
  const roles = [...asArray(merged.roles), ...realmRoles].filter((r) => ROLES.includes(r));
  // The services know people by preferred_username (a student number), as the token verifier does;
  // a provider's `sub` is often a UUID that means nothing to anyone, so it is never shown.
  const username = merged.preferred_username || merged.username || merged.sub || '';
  return {
    sub: username,
    name: merged.name || merged.preferred_username || merged.username || '',
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

/**
 * Stores an OIDC token response {access_token, refresh_token?, id_token?, expires_in?}; the ID
 * token's claims (name, email) fill what the access token lacks. A refresh that returns no new
 * refresh or ID token keeps the ones it had.
 */
export function saveTokens(answer, idClaims = {}) {
  const claims = decodeClaims(answer.access_token);
  const { sub, aud, iss, exp, iat, nonce, at_hash, sid, auth_time, ...profile } = idClaims; // eslint-disable-line no-unused-vars
  const user = normaliseUser(claims, profile);
  if (!user.exp && answer.expires_in) user.exp = Math.floor(Date.now() / 1000) + Number(answer.expires_in);
  localStorage.setItem(TOKEN_KEY, answer.access_token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  if (answer.refresh_token) localStorage.setItem(REFRESH_KEY, answer.refresh_token);
  if (answer.id_token) localStorage.setItem(ID_TOKEN_KEY, answer.id_token);
  return user;
}

/**
 * The person as the services see them (GET /api/auth/me: roles, departments and names after any
 * claim renaming the school configured), replacing what was read from the token's claims.
 */
export function rememberUser(me) {
  const token = getToken();
  const claims = token ? decodeClaims(token) : {};
  const user = normaliseUser({ exp: claims.exp }, { ...me, preferred_username: me.username });
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  return user;
}

export function getRefreshToken() {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function getIdToken() {
  try {
    return localStorage.getItem(ID_TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Seconds until the access token expires (negative once it has); null when unknown. */
export function secondsLeft() {
  const token = getToken();
  const exp = token ? decodeClaims(token).exp : null;
  return exp ? exp - Date.now() / 1000 : null;
}

export function clearSession() {
  for (const key of [TOKEN_KEY, USER_KEY, REFRESH_KEY, ID_TOKEN_KEY]) localStorage.removeItem(key);
}

/** The current user, or null when signed out or the token has expired with no refresh token to renew it. */
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
  if (user.exp && user.exp * 1000 < Date.now() && !getRefreshToken()) {
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
