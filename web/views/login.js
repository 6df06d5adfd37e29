// Sign-in for the standalone/dev mode: one button per demo user
// (POST /api/auth/dev-login {"username"}), or any username typed in.
import { h, field, messageRegion, busy, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { saveSession } from '../session.js';

// The demo users of docs/CONVENTIONS.md (dev issuer and Keycloak realm).
const DEMO_USERS = [
  { username: 's1100001', name: '王小明', role: 'student', dept: 'IM', klass: 'IM3A' },
  { username: 's1100002', name: '李小華', role: 'student', dept: 'IM', klass: 'IM3A' },
  { username: 's1100003', name: '陳大文', role: 'student', dept: 'EE', klass: 'EE2B' },
  { username: 'rev-im', name: '林審核', role: 'reviewer', dept: 'IM' },
  { username: 'rev-ee', name: '張審核', role: 'reviewer', dept: 'EE' },
  { username: 'center', name: '職輔組', role: 'center', dept: '' },
  { username: 'admin', name: '系統管理員', role: 'admin', dept: '' },
];

export function render(root, ctx) {
  const message = messageRegion('login-message');

  async function signIn(username, button) {
    message.clear();
    await busy(button, async () => {
      try {
        const answer = await api('/api/auth/dev-login', { method: 'POST', json: { username } });
        const user = saveSession(answer);
        ctx.flashNext(t('login.welcome', { name: user.name }));
        ctx.navigate('/');
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  }

  const buttons = DEMO_USERS.map((u) => {
    const details = [t(`role.${u.role}`), u.dept && t(`dept.${u.dept}`), u.klass].filter(Boolean).join(' · ');
    const button = h('button', {
      type: 'button', class: 'login-user', testid: `login-user-${u.username}`, 'data-username': u.username,
      onClick: () => signIn(u.username, button),
    }, h('span', { class: 'login-name' }, u.name), h('span', { class: 'login-id' }, u.username),
    h('span', { class: 'login-meta' }, details));
    return h('li', {}, button);
  });

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
    pageTitle(t('login.title')),
    h('p', { class: 'lead' }, t('login.intro')),
    message.el,
    h('ul', { class: 'login-users', 'aria-label': t('login.demo_users') }, buttons),
    h('details', { class: 'panel' }, h('summary', {}, t('login.other_user')), form),
    h('p', {}, h('a', { href: '#/mailbox', testid: 'login-mailbox-link' }, t('login.mailbox_link'))),
  );
}
