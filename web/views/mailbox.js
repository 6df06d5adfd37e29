// Standalone/dev mailbox: mails captured by notify (GET /api/dev/mailbox),
// newest first, with their links clickable. Confirmation links point to
// /api/confirm/{token}, a page served by the certificates service. The list
// refreshes itself every few seconds while the page is shown (mail is sent
// asynchronously, a moment after the action that causes it).
import { h, replace, field, messageRegion, busy, pageTitle } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';

const AUTO_REFRESH_MS = 4000;
const URL_PATTERN = /(https?:\/\/[^\s<>"')]+|\/api\/confirm\/[^\s<>"')]+)/g;

function isSafeHref(href) {
  return /^https?:\/\//i.test(href) || (href.startsWith('/') && !href.startsWith('//'));
}

function mailLink(href, text) {
  return h('a', {
    href, target: '_blank', rel: 'noopener noreferrer', testid: 'mail-link',
    'data-kind': href.includes('/api/confirm/') ? 'confirm' : 'link',
  }, text || href);
}

/** Plain text with its URLs turned into links (text nodes only, no markup). */
function linkify(text) {
  const nodes = [];
  let last = 0;
  for (const m of String(text || '').matchAll(URL_PATTERN)) {
    nodes.push(text.slice(last, m.index));
    nodes.push(mailLink(m[0]));
    last = m.index + m[0].length;
  }
  nodes.push(String(text || '').slice(last));
  return nodes;
}

/** Links of an HTML mail, read with DOMParser (which runs no scripts). */
function linksOfHtml(html) {
  if (!html) return [];
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return [...doc.querySelectorAll('a[href]')]
    .map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() }))
    .filter((l) => isSafeHref(l.href));
}

function mailItem(mail, index) {
  const htmlLinks = linksOfHtml(mail.html);
  const textHasLinks = URL_PATTERN.test(mail.text || '');
  URL_PATTERN.lastIndex = 0;
  return h('article', { class: 'mail panel', testid: 'mail-item', 'data-index': index, 'data-to': mail.to },
    h('header', { class: 'mail-head' },
      h('h2', { class: 'mail-subject' }, mail.subject || t('mailbox.no_subject')),
      h('p', { class: 'mail-meta' }, `${t('mailbox.to')}：${mail.to}\u3000${t('mailbox.sent_at')}：${formatDateTime(mail.sent_at)}`)),
    mail.text ? h('pre', { class: 'mail-text' }, linkify(mail.text)) : null,
    !textHasLinks && htmlLinks.length
      ? h('ul', { class: 'mail-links', 'aria-label': t('mailbox.links') }, htmlLinks.map((l) => h('li', {}, mailLink(l.href, l.text || l.href))))
      : null,
    mail.html ? h('details', {}, h('summary', {}, t('mailbox.show_html')),
      h('iframe', {
        class: 'mail-html', title: mail.subject || 'mail',
        sandbox: 'allow-popups allow-popups-to-escape-sandbox',
        srcdoc: `<base target="_blank">${mail.html}`,
      })) : null);
}

export function render(root) {
  const message = messageRegion('mailbox-message');
  const list = h('div', { class: 'mail-list', testid: 'mail-list', 'aria-live': 'polite' });
  const refresh = h('button', { type: 'button', class: 'btn', testid: 'mailbox-refresh' }, t('common.refresh'));
  const to = h('input', { type: 'search', name: 'to', testid: 'mailbox-to', placeholder: 's1100001@demo.certhub.tw' });
  const filter = h('form', { class: 'inline-form', role: 'search' }, field(t('mailbox.to'), to),
    h('button', { type: 'submit', class: 'btn', testid: 'mailbox-filter' }, t('common.search')));
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });

  let shown = null; // what the list shows, so that an unchanged answer keeps open <details> and focus

  async function load({ quiet = false } = {}) {
    if (!quiet) message.clear();
    try {
      const mails = itemsOf(await api('/api/dev/mailbox', { query: { to: to.value.trim(), limit: 100 } }));
      const key = JSON.stringify([to.value.trim(), mails.map((m) => [m.to, m.subject, m.sent_at])]);
      if (quiet && key === shown) return;
      shown = key;
      replace(list, mails.length ? mails.map(mailItem) : h('p', { class: 'empty' }, t('mailbox.empty')));
    } catch (err) {
      if (!quiet) message.show(err.message, 'error');
    }
  }

  refresh.addEventListener('click', () => busy(refresh, load));
  root.append(pageTitle(t('mailbox.title'), refresh), h('p', { class: 'lead' }, t('mailbox.intro')), filter, message.el, list);
  load();
  const timer = setInterval(() => {
    if (!document.hidden && !list.contains(document.activeElement)) load({ quiet: true });
  }, AUTO_REFRESH_MS);
  return () => clearInterval(timer);
}
