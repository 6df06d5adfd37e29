// Sign-in through the school's OpenID Provider: Authorization Code + PKCE (S256) with state and
// nonce, discovered from the issuer, by oauth4webapi (vendor/, copied from npm by scripts/install).
// The configuration comes from GET /api/auth/config at run time:
//   {"mode": "oidc"|"dev", "issuer", "client_id", "scopes", "redirect_uri", "post_logout_redirect_uri"}
// The access token is renewed with the refresh token before it expires, and again when an API call
// answers 401; sign-out ends the provider's session too (end_session_endpoint with id_token_hint).
import {
  saveTokens, getToken, getRefreshToken, getIdToken, clearSession, secondsLeft, decodeTokenClaims, rememberUser,
} from './session.js';

const PENDING_KEY = 'certhub.oidc.pending';
const CALLBACK_PATH = '/auth/callback';
const RENEW_BEFORE_S = 30; // renew this long before expiry (or at 3/4 of a shorter lifetime)

let configPromise = null;
let serverPromise = null;
let refreshing = null;
let timer = null;

/** GET /api/auth/config, once; an older server without it means dev sign-in. */
export function authConfig() {
  if (!configPromise) {
    configPromise = fetch('/api/auth/config', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : { mode: 'dev' }))
      .catch(() => ({ mode: 'dev' }));
  }
  return configPromise;
}

export async function isOidc() {
  return (await authConfig()).mode === 'oidc';
}

function loadLibrary() {
  return import('./vendor/oauth4webapi.js');
}

function isLoopback(url) {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

/** The provider's metadata, the client and the request options (plain http only on loopback). */
async function server() {
  if (!serverPromise) {
    serverPromise = (async () => {
      const [oauth, config] = await Promise.all([loadLibrary(), authConfig()]);
      const issuer = new URL(config.issuer);
      const options = { [oauth.allowInsecureRequests]: isLoopback(issuer) };
      const response = await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' });
      const as = await oauth.processDiscoveryResponse(issuer, response);
      return { oauth, config, as, client: { client_id: config.client_id }, options };
    })();
    serverPromise.catch(() => { serverPromise = null; });
  }
  return serverPromise;
}

/** Sends the browser to the provider's sign-in; `returnTo` is the hash route to come back to. */
export async function beginSignIn(returnTo = '/') {
  const { oauth, config, as } = await server();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const pending = {
    state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier, returnTo,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.client_id);
  url.searchParams.set('redirect_uri', config.redirect_uri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scopes);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  window.location.assign(url.href);
}

export function isCallback() {
  return window.location.pathname === CALLBACK_PATH;
}

/**
 * Finishes sign-in on {public base}/auth/callback: checks state, exchanges the code (PKCE),
 * checks the ID token's nonce, stores the tokens and returns the hash route to open.
 * Throws with a readable message when the answer is not what was asked for.
 */
export async function finishSignIn() {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending) throw new Error('no sign-in in progress');
  const { oauth, config, as, client, options } = await server();
  const params = oauth.validateAuthResponse(as, client, new URL(window.location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as, client, oauth.None(), params, config.redirect_uri, pending.codeVerifier, options);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce, requireIdToken: true,
  });
  saveTokens(result, oauth.getValidatedIdTokenClaims(result) || {});
  await loadMe();
  window.history.replaceState(null, '', `/#${pending.returnTo || '/'}`);
  scheduleRenewal();
  return pending.returnTo || '/';
}

/** Who the services say is signed in (GET /api/auth/me); the token's own claims stay if it fails. */
async function loadMe() {
  try {
    const response = await fetch('/api/auth/me', { headers: { Accept: 'application/json', Authorization: `Bearer ${getToken()}` } });
    if (response.ok) rememberUser(await response.json());
  } catch {
    /* the claims read from the token remain */
  }
}

/** Renews the access token with the refresh token (one renewal at a time); true when it worked. */
export function renew() {
  if (!refreshing) {
    refreshing = (async () => {
      const refreshToken = getRefreshToken();
      if (!refreshToken || !(await isOidc())) return false;
      try {
        const { oauth, as, client, options } = await server();
        const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, options);
        const result = await oauth.processRefreshTokenResponse(as, client, response);
        const idClaims = result.id_token ? decodeTokenClaims(result.id_token) : decodeTokenClaims(getIdToken() || '');
        saveTokens(result, idClaims);
        await loadMe();
        scheduleRenewal();
        return true;
      } catch (err) {
        console.warn('token renewal failed', err);
        return false;
      }
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Renews the access token shortly before it expires, for as long as the page is open. */
export function scheduleRenewal() {
  clearTimeout(timer);
  const left = secondsLeft();
  if (left === null || !getRefreshToken()) return;
  const lifetime = Math.max(left, 1);
  const wait = Math.max(1, Math.min(lifetime - RENEW_BEFORE_S, lifetime * 0.75));
  timer = setTimeout(() => { renew(); }, wait * 1000);
}

/** Ends the session here and at the provider (which then returns to the app's start page). */
export async function signOutEverywhere() {
  const idToken = getIdToken();
  clearTimeout(timer);
  clearSession();
  if (!(await isOidc())) return false;
  const { as, config } = await server();
  if (!as.end_session_endpoint) return false;
  const url = new URL(as.end_session_endpoint);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', config.client_id);
  url.searchParams.set('post_logout_redirect_uri', config.post_logout_redirect_uri);
  window.location.assign(url.href);
  return true;
}
