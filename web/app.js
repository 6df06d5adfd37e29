// CertHub web client: shell (header, navigation, language switch) and the
// router on location.hash. Every screen is a module in views/ exporting
// render(root, ctx) -> optional cleanup function.
//
// data-testid attributes for browser tests (rows carry data-id, badges
// data-status; scope per-row controls by their row, e.g.
// [data-testid=cert-row][data-id=ID] [data-testid=cert-edit]):
//  shell     brand, current-user (data-username, data-roles), lang-toggle, logout,
//            nav-toggle, flash, skip-link,
//            nav-{certificates|cert-new|graduation|catalog-request|rewards-apply|rewards-mine|
//            review-queue|first-review|originals|credit|second-review|payouts|query|
//            report|moe-report|admin-catalog|admin-requests|admin-tracks|admin-standards|
//            admin-thresholds|admin-reasons|admin-windows|admin-rules|admin-departments|mailbox}
//  login     login-user-{s1100001|s1100002|s1100003|rev-im|rev-ee|center|admin},
//            login-username, login-submit, login-message, login-mailbox-link
//  mailbox   mailbox-refresh, mailbox-to, mailbox-filter, mail-list, mail-item (data-index, data-to),
//            mail-link (data-kind=confirm|link), mailbox-message
//  messages  form-message and <screen>-message regions (aria-live): cert-list-message,
//            app-list-message, queue-message, originals-message, credit-message,
//            first-review-message, second-review-message, payout-message,
//            query-message, report-message, catalog-message, catalog-form-message,
//            requests-message, standards-message, standard-form-message,
//            tracks-message, rules-message, window-message
//  two-step  every delete/paid button X has X-confirm and X-cancel after the first click
//  uploads   for a file field F: F (the <input type=file>), F-dropzone, F-preview, F-progress
//  certs     cert-new, cert-table, cert-row, cert-status, cert-thumbnail, cert-view-scan,
//            cert-edit, cert-delete, cert-resend, cert-more, legend-status
//  cert form cert-form, cert-category, cert-entry-search, cert-entry-suggestions,
//            cert-entry-option (data-id), cert-entry-id, cert-level, cert-score,
//            cert-issued-on, cert-email, cert-phone, cert-mobile, cert-certificate-no,
//            cert-remarks, cert-scan, cert-submit, cert-cancel, catalog-request-link
//  request   req-form, req-name, req-issuer, req-level-name, req-note, req-submit
//  rewards   window-banner (data-open), window-state, eligible-list, eligible-empty,
//            eligible-standard (data-id), eligible-cert (data-id), eligible-counter,
//            apply-submit (data-id), apply-mine-link
//  my apps   mine-year, app-new, app-table, app-row, app-status, app-detail, app-bank,
//            app-bank-edit, app-edit, app-delete, app-more; app-edit-standard,
//            app-edit-cert (data-id), app-edit-counter, app-edit-submit, app-edit-cancel
//  bank      bank-form, bank-method-{bank|post|other}, bank-code, bank-account-no,
//            bank-account-name, bank-postal-code, bank-address, bank-passbook,
//            bank-other-reason, bank-submit, bank-cancel
//  queue     queue-filters, queue-filter-{status|dept|category|student|age}, queue-search,
//            queue-table, queue-row (data-id = certificate_id), queue-select,
//            queue-select-all, queue-status, queue-checklist (li data-rule, data-passed),
//            queue-original, queue-flags, queue-thumbnail, queue-view-scan, decision-reason,
//            decision-{approved|rejected|rereview|credit_pending|recorded}, decision-pending,
//            bulk-form, bulk-decision, bulk-reason, bulk-submit, queue-more;
//            scan-viewer, scan-image, scan-frame, scan-viewer-close
//  centre    originals-table, original-row, original-file, original-progress,
//            original-upload; credit-table, credit-row, credit-complete
//  reviews   {first|second}-review-{table|row|year|note|Y|N}
//  payouts   payout-candidates, payout-candidate, payout-select (data-id),
//            payout-create, payout-batches, payout-table, payout-batch (data-id, data-paid),
//            payout-batch-applications, payout-batch-application (data-id = application id),
//            payout-export, payout-paid
//  query     query-form, query-{year|division|program|dept|class|student|name},
//            query-submit, query-table, query-row, query-more, query-exports,
//            query-export-csv, query-export-xlsx
//  report    report-year, report-submit, report-chart, report-bar (data-dept),
//            report-table, report-row (data-dept)
//  moe       moe-year, moe-semester, moe-submit, moe-downloads, moe-csv, moe-xlsx, moe-total,
//            moe-counts, moe-count-row (data-code), moe-uncoded, moe-uncoded-table(-row),
//            moe-rows-table(-row) (data-id = certificate id), moe-message
//  grad      grad-progress, grad-summary (data-met), grad-none, threshold-rule (data-met),
//            threshold-rule-state, grad-message
//  thr       thr-form, thr-dept, thr-cohort, thr-load, thr-existing, thr-rules, rule-block, rule-name,
//            rule-name-en, rule-remove, rule-add, alt-row, alt-count, alt-category, alt-it,
//            alt-cefr, alt-entries, alt-remove, alt-add, thr-save, thr-message
//  reasons   reasons-form, reason-row (data-code), reason-code, reason-label, reason-label-en,
//            reason-instruction, reason-instruction-en, reason-active, reason-remove,
//            reason-add, reasons-save, reasons-message
//  catalog   catalog-new, catalog-search, catalog-filter-category, catalog-table,
//            catalog-row, catalog-edit, catalog-form, catalog-form-{name|name-en|
//            issuer|category|foreign|key|national-code|bundle|it|active}, catalog-levels,
//            catalog-level, catalog-level-{name|name-en|cefr|min-score|max-score|remove},
//            catalog-level-add, catalog-save, catalog-cancel, catalog-import-form,
//            catalog-import-file, catalog-import-submit
//  requests  requests-only-pending, requests-table, request-row, request-status,
//            request-category, request-accept, request-decline-reason, request-decline
//  tracks    tracks-editor, tracks-save, tracks-json, tracks-apply-json; rules-year,
//            rules-editor, rules-save, rules-json, rules-apply-json;
//            json-<key> for each generated field/table (json-<key>-row|add|remove)
//  standards standards-year, standard-new, standards-table, standard-row, standard-edit,
//            standard-delete, standard-form, standard-form-{year|scope|level|item|
//            name|amount|required|entry-level}, standard-entry-search,
//            standard-entry-option, standard-qualifying(-list|-add|-remove), standard-save,
//            standard-cancel
//  windows   window-year, window-opens, window-closes, window-save, window-form
//  depts     dept-table, dept-row (data-code), dept-edit, dept-form, dept-form-{code|name|name-en|active},
//            dept-save, dept-cancel, dept-new, departments-message
import { h, replace, messageRegion } from './dom.js';
import { t, getLang, setLang, applyDocumentLang } from './i18n.js';
import { getUser, clearSession, hasRole, primaryRole } from './session.js';
import { revokeObjectUrls } from './components/blob-image.js';
import { authConfig, isOidc, isCallback, finishSignIn, beginSignIn, scheduleRenewal, signOutEverywhere } from './oidc.js';
import { captureFields, restoreFields, saveDraft, takeDraft } from './draft.js';
import { loadDepartments } from './components/departments.js';

const ROUTES = [
  { path: '/login', load: () => import('./views/login.js'), public: true },
  { path: '/mailbox', load: () => import('./views/mailbox.js'), public: true },
  { path: '/certificates', load: () => import('./views/certificates.js'), roles: ['student'] },
  { path: '/certificates/new', load: () => import('./views/certificate-form.js'), roles: ['student'] },
  { path: '/certificates/:id/edit', load: () => import('./views/certificate-form.js'), roles: ['student'] },
  { path: '/graduation', load: () => import('./views/graduation.js'), roles: ['student'] },
  { path: '/catalog-request', load: () => import('./views/catalog-request.js'), roles: ['student'] },
  { path: '/rewards/apply', load: () => import('./views/reward-apply.js'), roles: ['student'] },
  { path: '/rewards/mine', load: () => import('./views/reward-mine.js'), roles: ['student'] },
  { path: '/rewards/applications/:id/edit', load: () => import('./views/reward-edit.js'), roles: ['student'] },
  { path: '/rewards/applications/:id/bank', load: () => import('./views/bank-account.js'), roles: ['student'] },
  { path: '/review/queue', load: () => import('./views/review-queue.js'), roles: ['reviewer', 'center'] },
  { path: '/review/rosters', load: () => import('./views/rosters.js'), roles: ['reviewer', 'center'] },
  { path: '/review/first', load: () => import('./views/reward-first-review.js'), roles: ['reviewer'] },
  { path: '/center/originals', load: () => import('./views/center-originals.js'), roles: ['center'] },
  { path: '/center/overdue', load: () => import('./views/center-overdue.js'), roles: ['center'] },
  { path: '/center/credit', load: () => import('./views/center-credit.js'), roles: ['center'] },
  { path: '/center/second', load: () => import('./views/reward-second-review.js'), roles: ['center'] },
  { path: '/center/payouts', load: () => import('./views/payouts.js'), roles: ['center'] },
  { path: '/rewards/query', load: () => import('./views/reward-query.js'), roles: ['reviewer', 'center'] },
  { path: '/center/report', load: () => import('./views/reward-report.js'), roles: ['center', 'admin'] },
  { path: '/center/moe', load: () => import('./views/moe-report.js'), roles: ['center', 'admin'] },
  { path: '/admin/catalog', load: () => import('./views/admin-catalog.js'), roles: ['admin'] },
  { path: '/admin/requests', load: () => import('./views/admin-requests.js'), roles: ['admin'] },
  { path: '/admin/tracks', load: () => import('./views/admin-tracks.js'), roles: ['admin'] },
  { path: '/admin/standards', load: () => import('./views/admin-standards.js'), roles: ['admin'] },
  { path: '/admin/thresholds', load: () => import('./views/admin-thresholds.js'), roles: ['admin'] },
  { path: '/admin/reasons', load: () => import('./views/admin-reasons.js'), roles: ['admin'] },
  { path: '/admin/windows', load: () => import('./views/admin-windows.js'), roles: ['admin'] },
  { path: '/admin/rules', load: () => import('./views/admin-rules.js'), roles: ['admin'] },
  { path: '/admin/departments', load: () => import('./views/admin-departments.js'), roles: ['admin'] },
];

// Navigation entries: [testid suffix, path, label key, roles]
const NAV = [
  ['certificates', '/certificates', 'nav.certificates', ['student']],
  ['cert-new', '/certificates/new', 'nav.cert_new', ['student']],
  ['graduation', '/graduation', 'nav.graduation', ['student']],
  ['catalog-request', '/catalog-request', 'nav.catalog_request', ['student']],
  ['rewards-apply', '/rewards/apply', 'nav.rewards_apply', ['student']],
  ['rewards-mine', '/rewards/mine', 'nav.rewards_mine', ['student']],
  ['review-queue', '/review/queue', 'nav.review_queue', ['reviewer', 'center']],
  ['rosters', '/review/rosters', 'nav.rosters', ['reviewer', 'center']],
  ['first-review', '/review/first', 'nav.first_review', ['reviewer']],
  ['originals', '/center/originals', 'nav.originals', ['center']],
  ['overdue', '/center/overdue', 'nav.overdue', ['center']],
  ['credit', '/center/credit', 'nav.credit', ['center']],
  ['second-review', '/center/second', 'nav.second_review', ['center']],
  ['payouts', '/center/payouts', 'nav.payouts', ['center']],
  ['query', '/rewards/query', 'nav.query', ['reviewer', 'center']],
  ['report', '/center/report', 'nav.report', ['center', 'admin']],
  ['moe-report', '/center/moe', 'nav.moe_report', ['center', 'admin']],
  ['admin-catalog', '/admin/catalog', 'nav.admin_catalog', ['admin']],
  ['admin-requests', '/admin/requests', 'nav.admin_requests', ['admin']],
  ['admin-tracks', '/admin/tracks', 'nav.admin_tracks', ['admin']],
  ['admin-standards', '/admin/standards', 'nav.admin_standards', ['admin']],
  ['admin-thresholds', '/admin/thresholds', 'nav.admin_thresholds', ['admin']],
  ['admin-reasons', '/admin/reasons', 'nav.admin_reasons', ['admin']],
  ['admin-windows', '/admin/windows', 'nav.admin_windows', ['admin']],
  ['admin-rules', '/admin/rules', 'nav.admin_rules', ['admin']],
  ['admin-departments', '/admin/departments', 'nav.admin_departments', ['admin']],
  ['mailbox', '/mailbox', 'nav.mailbox', null],
];

const HOME = { student: '/certificates', reviewer: '/review/queue', center: '/review/queue', admin: '/admin/catalog' };

let cleanup = null;
let renderSeq = 0;
let pendingFlash = null;
let showMailbox = false; // the captured test mailbox exists only in standalone/dev/test
let draftKeeper = null; // the open screen's own capture of what was typed (ctx.keepDraft), if any

export function navigate(path) {
  if (location.hash === `#${path}`) route();
  else location.hash = path;
}

/** A message shown on the next screen (e.g. after saving and moving on). */
export function flashNext(text, kind = 'success') {
  pendingFlash = { text, kind };
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  return { path, query: new URLSearchParams(qs) };
}

function match(path) {
  for (const r of ROUTES) {
    const names = [];
    const pattern = new RegExp(`^${r.path.replace(/:(\w+)/g, (m, name) => { names.push(name); return '([^/]+)'; })}$`);
    const m = pattern.exec(path);
    if (m) return { route: r, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

export function homeFor(user) {
  return user ? HOME[primaryRole(user)] || '/mailbox' : '/login';
}

function roleLabel(user) {
  return user.roles.map((r) => t(`role.${r}`)).join('、');
}

/** Choosing the screen already shown loads it again (fresh statuses), as people expect of a menu. */
function reloadIfCurrent(target) {
  return (event) => {
    if (parseHash().path !== target) return;
    event.preventDefault();
    route();
  };
}

function renderHeader(user, path) {
  const langButton = h('button', {
    type: 'button', class: 'btn btn-ghost', testid: 'lang-toggle', lang: getLang() === 'en' ? 'zh-TW' : 'en',
    onClick: () => setLang(getLang() === 'en' ? 'zh-TW' : 'en'),
  }, t('app.switch_lang'));
  const navList = h('ul', { id: 'main-nav-list', class: 'nav-list' });
  for (const [key, target, label, roles] of NAV) {
    if (key === 'mailbox' && !showMailbox) continue;
    if (!user && !(key === 'mailbox')) continue;
    if (roles && !hasRole(user, ...roles)) continue;
    const current = path === target;
    navList.appendChild(h('li', {}, h('a', {
      href: `#${target}`, testid: `nav-${key}`, 'aria-current': current ? 'page' : null, class: current ? 'active' : null,
      onClick: reloadIfCurrent(target),
    }, t(label))));
  }
  const toggle = h('button', {
    type: 'button', class: 'btn btn-ghost nav-toggle', testid: 'nav-toggle',
    'aria-expanded': 'false', 'aria-controls': 'main-nav-list',
    onClick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      navList.classList.toggle('open', open);
    },
  }, t('app.menu'));
  const userBox = user
    ? h('div', { class: 'user-box' },
      h('span', { class: 'user-name', testid: 'current-user', 'data-username': user.sub, 'data-roles': user.roles.join(' ') },
        t('app.user_label', { name: user.name, roles: roleLabel(user) })),
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'logout', onClick: signOut }, t('app.sign_out')))
    : null;
  return [
    h('div', { class: 'header-bar' },
      h('a', { href: `#${homeFor(user)}`, class: 'brand', testid: 'brand' }, t('app.title')),
      h('div', { class: 'header-actions' }, userBox, langButton, navList.children.length ? toggle : null)),
    h('nav', { 'aria-label': t('app.nav_label'), class: 'main-nav' }, navList),
  ];
}

async function signOut() {
  if (await signOutEverywhere()) return; // the provider ends its session and returns to the start page
  clearSession();
  flashNext(t('login.signed_out'), 'info');
  navigate('/login');
}

function currentRoute() {
  return location.hash.replace(/^#/, '') || '/';
}

/** Signed out mid-work: keep what was typed, sign in again, come back to the same screen. */
let signingInAgain = false;

async function signInAgain() {
  if (signingInAgain || currentRoute().startsWith('/login')) return; // several calls failing at once
  signingInAgain = true;
  const main = document.getElementById('app-main');
  saveDraft(currentRoute(), draftKeeper ? draftKeeper() : { fields: captureFields(main) });
  clearSession();
  if (await isOidc()) {
    await beginSignIn(currentRoute());
    return;
  }
  signingInAgain = false;
  flashNext(t('error.session_expired'), 'error');
  navigate(`/login?return=${encodeURIComponent(currentRoute())}`);
}

async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const user = getUser();
  const found = match(path);
  if (!found) {
    navigate(homeFor(user));
    return;
  }
  const { route: r, params } = found;
  if (!r.public && !user) {
    navigate(`/login?return=${encodeURIComponent(currentRoute())}`);
    return;
  }
  if (r.path === '/login' && user) {
    navigate(homeFor(user));
    return;
  }
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  revokeObjectUrls();

  const header = document.getElementById('app-header');
  const main = document.getElementById('app-main');
  replace(header, renderHeader(user, path));
  const flash = messageRegion('flash');
  replace(document.getElementById('app-flash'), flash.el);
  if (pendingFlash) {
    flash.show(pendingFlash.text, pendingFlash.kind);
    pendingFlash = null;
  }
  if (r.roles && !hasRole(user, ...r.roles)) {
    replace(main, h('h1', { tabindex: '-1' }, t('error.forbidden_title')), h('p', {}, t('error.forbidden')));
    return;
  }
  replace(main, h('p', { class: 'loading', 'aria-live': 'polite' }, t('common.loading')));
  let module;
  try {
    // a signed-in screen names departments: the registry is read first (once per page load)
    [module] = await Promise.all([r.load(), r.public ? null : loadDepartments()]);
  } catch (err) {
    replace(main, h('p', { class: 'message message-error', role: 'alert' }, t('error.load_view')));
    console.warn(err);
    return;
  }
  if (seq !== renderSeq) return;
  const root = h('div', { class: 'view' });
  replace(main, root);
  draftKeeper = null;
  const draft = takeDraft(currentRoute());
  // A screen that restores its own draft calls ctx.keepDraft(capture) and reads ctx.draft;
  // any other screen gets its named fields back once it has drawn them.
  const ctx = { params, query, user, navigate, flash, flashNext, path, draft, keepDraft: (capture) => { draftKeeper = capture; } };
  cleanup = module.render(root, ctx) || null;
  main.querySelector('h1')?.focus({ preventScroll: true });
  if (draft && !draftKeeper && draft.fields) setTimeout(() => restoreFields(root, draft.fields), 300);
}

async function finishCallback() {
  try {
    await finishSignIn();
  } catch (err) {
    console.warn('sign-in failed', err);
    window.history.replaceState(null, '', '/#/login');
    flashNext(t('login.oidc_failed'), 'error');
  }
}

async function start() {
  applyDocumentLang();
  showMailbox = Boolean((await authConfig()).mailbox);
  if (isCallback()) await finishCallback();
  else scheduleRenewal();
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault(); // the hash belongs to the router
    document.getElementById('app-main').focus();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('certhub:langchange', route);
  window.addEventListener('certhub:unauthorized', signInAgain);
  route();
}

start();
