// A real OpenID Provider for the tests: npm's oidc-provider (OpenID Certified), configured from
// the same realm file Keycloak imports (deploy/keycloak/certhub-realm.json), so users, passwords,
// roles and claims cannot drift between the two.
//
// Environment:
//   OIDC_PORT            port on 127.0.0.1 (issuer http://127.0.0.1:PORT)
//   OIDC_REALM           path of the Keycloak realm export
//   OIDC_APP_BASE        the app's public base URLs, comma-separated (redirect {base}/auth/callback,
//                        post-logout {base}/, CORS for the base's origin)
//   OIDC_ACCESS_TTL      access token lifetime in seconds (default 300)
//
// Access tokens are RFC 9068 JWTs (RS256, typ at+jwt) for the audience `certhub`, carrying the
// realm's mapped claims (roles, dept, division, program, class, name, email, preferred_username),
// as Keycloak's are; subjects are UUIDs, as Keycloak's are.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { parse } from 'node:querystring';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const realm = JSON.parse(readFileSync(process.env.OIDC_REALM, 'utf8'));
const appBases = (process.env.OIDC_APP_BASE || 'http://127.0.0.1:8000').split(',').map((b) => b.trim().replace(/\/$/, ''));
const accessTtl = Number(process.env.OIDC_ACCESS_TTL || 300);
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = 'urn:certhub:api';

const webClient = realm.clients.find((c) => c.clientId === 'certhub-web');
const audience = webClient.protocolMappers
  .find((m) => m.protocolMapper === 'oidc-audience-mapper')?.config['included.custom.audience'] || 'certhub';

function subjectOf(username) {
  const hex = createHash('sha256').update(`certhub-test:${username}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The claims Keycloak's protocol mappers would put in the access token for this user. */
function mappedClaims(user) {
  const claims = {};
  for (const mapper of webClient.protocolMappers) {
    const config = mapper.config || {};
    if (config['access.token.claim'] !== 'true') continue;
    switch (mapper.protocolMapper) {
      case 'oidc-usermodel-realm-role-mapper':
        claims[config['claim.name']] = [...(user.realmRoles || [])];
        break;
      case 'oidc-usermodel-attribute-mapper': {
        const values = user.attributes?.[config['user.attribute']] || [];
        if (values.length) claims[config['claim.name']] = config.multivalued === 'true' ? values : values[0];
        break;
      }
      case 'oidc-usermodel-property-mapper':
        claims[config['claim.name']] = user[config['user.attribute']];
        break;
      case 'oidc-full-name-mapper':
        claims.name = [user.firstName, user.lastName].filter(Boolean).join(' ');
        break;
      default:
        break;
    }
  }
  return claims;
}

const users = new Map(realm.users.map((u) => [subjectOf(u.username), u]));
const byUsername = new Map(realm.users.map((u) => [u.username, u]));

const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const configuration = {
  clients: [{
    client_id: webClient.clientId,
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: appBases.map((base) => `${base}/auth/callback`),
    post_logout_redirect_uris: appBases.map((base) => `${base}/`),
  }],
  jwks: { keys: [{ ...jwk, kid: 'test-1', alg: 'RS256', use: 'sig' }] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
  cookies: { keys: ['certhub-test-cookie-key'] },
  ttl: {
    AccessToken: accessTtl, AuthorizationCode: 60, IdToken: 3600, Interaction: 600,
    Grant: 3600, Session: 3600, RefreshToken: 3600,
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'certhub', audience, accessTokenTTL: accessTtl, accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  clientBasedCORS: (ctx, origin) => appBases.some((base) => new URL(base).origin === origin),
  issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
  async findAccount(ctx, sub) {
    const user = users.get(sub);
    if (!user) return undefined;
    return { accountId: sub, claims: () => ({ sub, ...mappedClaims(user) }) };
  },
  async extraTokenClaims(ctx, token) {
    const user = token.accountId && users.get(token.accountId);
    return user ? mappedClaims(user) : undefined;
  },
  async loadExistingGrant(ctx) {
    // A first-party client: the school's own app needs no consent screen (as in Keycloak's realm).
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email offline_access');
    grant.addResourceScope(RESOURCE, 'certhub');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>Error</h1><pre>${escape(JSON.stringify(out, null, 2))}</pre>`);
  },
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body>${body}</body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page('Sign out', `<h1>登出 / Sign out</h1>${form}`
    + '<button type="submit" form="op.logoutForm" value="yes" name="logout" id="op-logout-yes">是，登出 / Yes, sign me out</button>');
}

function loginPage(uid, error = '') {
  return page('學校帳號登入 / School sign-in', `<h1>學校帳號登入 / School sign-in</h1>
    ${error ? `<p role="alert" id="op-error">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${escape(uid)}/login">
      <label>帳號 / Username <input id="op-username" name="username" autocomplete="username" required></label>
      <label>密碼 / Password <input id="op-password" name="password" type="password" autocomplete="current-password" required></label>
      <button id="op-submit" type="submit">登入 / Sign in</button>
    </form>`);
}

const provider = new Provider(issuer, configuration);

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return parse(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res) {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return false;
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant; any other prompt simply continues.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return true;
  }
  if (req.method === 'POST' && match[2]) {
    const form = await readForm(req);
    const user = byUsername.get(String(form.username || ''));
    const password = user?.credentials?.find((c) => c.type === 'password')?.value;
    if (!user || !user.enabled || password !== form.password) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, '帳號或密碼錯誤 / Invalid username or password'));
      return true;
    }
    await provider.interactionFinished(req, res, { login: { accountId: subjectOf(user.username) } },
      { mergeWithLastSubmission: false });
    return true;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(loginPage(details.uid));
  return true;
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  try {
    if (await interaction(req, res)) return;
  } catch (err) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(String(err));
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ready ${issuer} audience=${audience} access_ttl=${accessTtl}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
