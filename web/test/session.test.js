import { tokenWith, epoch } from './setup.js';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import {
  saveSession, saveTokens, getUser, getToken, getRefreshToken, clearSession, secondsLeft, hasRole, primaryRole,
  normaliseUser, rememberUser,
} from '../session.js';

beforeEach(() => localStorage.clear());

test('a dev sign-in keeps the token and the user read from its claims (UTF-8 names too)', () => {
  const token = tokenWith({ preferred_username: 's1100001', name: '王小明', roles: ['student', 'superuser'],
    dept: 'IM', exp: epoch(3600) });
  const user = saveSession({ access_token: token });
  assert.equal(getToken(), token);
  assert.equal(user.sub, 's1100001');
  assert.equal(user.name, '王小明');
  assert.deepEqual(user.roles, ['student']); // roles the client does not know are dropped
  assert.deepEqual(user.dept, ['IM']);
  assert.deepEqual(getUser(), user);
  assert.ok(secondsLeft() > 3590 && secondsLeft() <= 3600);
});

test("the sign-in answer's user fills what the token lacks", () => {
  const token = tokenWith({ sub: 'rev-im', roles: ['reviewer'], exp: epoch(60) });
  const user = saveSession({ access_token: token, user: { name: '林審核', dept: ['IM'], email: 'rev@demo.certhub.tw' } });
  assert.equal(user.name, '林審核');
  assert.equal(user.email, 'rev@demo.certhub.tw');
  assert.equal(primaryRole(user), 'reviewer');
});

test('an expired token without a refresh token ends the session', () => {
  saveSession({ access_token: tokenWith({ sub: 's1100001', roles: ['student'], exp: epoch(-10) }) });
  assert.ok(secondsLeft() < 0);
  assert.equal(getUser(), null);
  assert.equal(getToken(), null); // cleared
  assert.equal(localStorage.getItem('certhub.user'), null);
});

test('an expired token with a refresh token keeps the user (oidc.js renews it)', () => {
  const user = saveTokens({ access_token: tokenWith({ sub: 'uuid-1', preferred_username: 'c-staff',
    realm_access: { roles: ['center', 'offline_access'] }, exp: epoch(-10) }), refresh_token: 'r1', id_token: 'i1' },
  { name: '職輔組', email: 'center@demo.certhub.tw', sub: 'uuid-1', nonce: 'n' });
  assert.equal(getRefreshToken(), 'r1');
  assert.equal(user.sub, 'c-staff'); // the provider's UUID subject is never shown
  assert.deepEqual(user.roles, ['center']);
  assert.equal(user.name, '職輔組');
  assert.equal(getUser().sub, 'c-staff');
  clearSession();
  assert.equal(getUser(), null);
  assert.equal(getRefreshToken(), null);
});

test('a token without exp expires after expires_in; a refresh without new tokens keeps the old ones', () => {
  saveTokens({ access_token: tokenWith({ preferred_username: 'admin' }), refresh_token: 'r1', id_token: 'i1',
    expires_in: 300 });
  const user = saveTokens({ access_token: tokenWith({ preferred_username: 'admin', roles: ['admin'] }),
    expires_in: 300 });
  assert.ok(user.exp >= epoch(299) && user.exp <= epoch(300));
  assert.equal(getRefreshToken(), 'r1');
  assert.equal(localStorage.getItem('certhub.id_token'), 'i1');
});

test('what the services say about the person replaces the claims, the expiry stays', () => {
  saveSession({ access_token: tokenWith({ sub: 'rev-im', roles: ['reviewer'], exp: epoch(600) }) });
  const user = rememberUser({ username: 'rev-im', name: '林審核', roles: ['reviewer', 'admin'], dept: ['IM', 'EE'] });
  assert.deepEqual(user.dept, ['IM', 'EE']);
  assert.equal(primaryRole(user), 'admin');
  assert.ok(user.exp > epoch(0));
});

test('roles: hasRole and the most privileged first', () => {
  const user = normaliseUser({ roles: ['student', 'reviewer'] });
  assert.equal(hasRole(user, 'center', 'reviewer'), true);
  assert.equal(hasRole(user, 'admin'), false);
  assert.equal(hasRole(null, 'student'), false);
  assert.equal(primaryRole(user), 'reviewer');
  assert.equal(primaryRole(null), '');
});
