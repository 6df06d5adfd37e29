// Sign-in. With the school's provider (GET /api/auth/config says "oidc"): one button that goes
// to the provider's own sign-in page. In the standalone/dev mode: one button per demo user
// (GET /api/auth/demo-users, else the documented list; POST /api/auth/dev-login {"username"}),
// or any username typed in. `?return=<route>` is the screen to come back to.
import { deptLabel } from '../components/departments.js';
import { h, replace, field, messageRegion, busy, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t, codeLabel } from '../i18n.js';
import { saveSession } from '../session.js';
import { authConfig, beginSignIn } from '../oidc.js';

// The demo users of docs/CONVENTIONS.md, used when /api/auth/demo-users does not answer.
const DEMO_USERS = [
  { username: 's1100001', name: '王小明', roles: ['student'], dept: ['IM'] },
  { username: 's1100002', name: '李小華', roles: ['student'], dept: ['IM'] },
  { username: 's1100003', name: '陳大文', roles: ['student'], dept: ['EE'] },
  { username: 'rev-im', name: '林審核', roles: ['reviewer'], dept: ['IM'] },
  { username: 'rev-ee', name: '張審核', roles: ['reviewer'], dept: ['EE'] },
  { username: 'center', name: '職輔組', roles: ['center'], dept: [] },
  { username: 'admin', name: '系統管理員', roles: ['admin'], dept: [] },
];

const asList = (v) => (Array.isArray(v) ? v : [v].filter(Boolean));

export function render(root, ctx) {
  const returnTo = ctx.query.get('return') || '/';
  const placeholder = h('p', { class: 'loading', 'aria-live': 'polite' }, t('common.loading'));
  root.append(pageTitle(t('login.title')), placeholder);
  authConfig().then((config) => {
    placeholder.remove();
    if (config.mode === 'oidc') renderProvider(root, returnTo);
    else renderDemo(root, ctx, returnTo);
  });
}

function renderProvider(root, returnTo) {
  const message = messageRegion('login-message');
  const button = h('button', {
    type: 'button', class: 'btn btn-primary login-oidc', testid: 'login-oidc',
    onClick: () => busy(button, async () => {
      try {
        await beginSignIn(returnTo);
      } catch (err) {
        console.warn(err);
        message.show(t('login.oidc_unreachable'), 'error');
      }
    }),
  }, t('login.oidc_button'));
  root.append(h('p', { class: 'lead' }, t('login.oidc_intro')), message.el, h('p', {}, button));
}

function renderDemo(root, ctx, returnTo) {
  const message = messageRegion('login-message');

  async function signIn(username, button) {
    message.clear();
    await busy(button, async () => {
      try {
        const answer = await api('/api/auth/dev-login', { method: 'POST', json: { username } });
        const user = saveSession(answer);
        ctx.flashNext(t('login.welcome', { name: user.name }));
        ctx.navigate(returnTo);
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  }

  const userButton = (u) => {
    const details = [...asList(u.roles).map((r) => codeLabel('role', r, r)), ...asList(u.dept).map((d) => deptLabel(d))].join(' · ');
    const button = h('button', {
      type: 'button', class: 'login-user', testid: `login-user-${u.username}`, 'data-username': u.username,
      onClick: () => signIn(u.username, button),
    }, h('span', { class: 'login-name' }, u.name), h('span', { class: 'login-id' }, u.username),
    h('span', { class: 'login-meta' }, details));
    return h('li', {}, button);
  };
  const list = h('ul', { class: 'login-users', 'aria-label': t('login.demo_users') }, DEMO_USERS.map(userButton));
  api('/api/auth/demo-users')
    .then((users) => { if (Array.isArray(users) && users.length) replace(list, users.map(userButton)); })
    .catch(() => { /* keep the documented list */ });

  const usernameInput = h('input', { type: 'text', name: 'username', testid: 'login-username', autocomplete: 'username' });
  const submit = h('button', { type: 'submit', class: 'btn', testid: 'login-submit' }, t('login.sign_in'));
  const form = h('form', {
    class: 'inline-form', onSubmit: (event) => {
      event.preventDefault();
      const username = usernameInput.value.trim();
      if (username) signIn(username, submit);
    },
  }, field(t('login.username'), usernameInput), submit);

  root.append(
    h('p', { class: 'lead' }, t('login.intro')),
    message.el,
    list,
    h('details', { class: 'panel' }, h('summary', {}, t('login.other_user')), form),
    h('p', {}, h('a', { href: '#/mailbox', testid: 'login-mailbox-link' }, t('login.mailbox_link'))),
  );
}
