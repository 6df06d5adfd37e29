// Reviewer / centre: a class roster (團體申報) — upload CSV/XLSX, see each row's verdict (dry run),
// confirm; confirmed rows wait as pre-registered certificates that each student completes.
import { h, replace, table, messageRegion, busy, pageTitle } from '../dom.js';
import { apiUpload } from '../api.js';
import { t, pick } from '../i18n.js';
import { downloadLink } from '../components/download-link.js';

const ERRORS = new Set(['unknown_student', 'unknown_entry', 'unknown_level', 'duplicate', 'score_out_of_range', 'bad_date', 'invalid']);

function badgeClass(status) { // the status colours of the list: ok green, already imported blue, errors red
  if (status === 'ok') return 'status-approved';
  return status === 'exists' ? 'status-submitted' : 'status-rejected';
}

function verdictTable(rows) {
  return table({
    testid: 'roster-table',
    caption: t('roster.result_caption'),
    rows,
    rowAttrs: (r) => ({ testid: 'roster-row', 'data-status': r.status, class: ERRORS.has(r.status) ? 'row-error' : '' }),
    columns: [
      { label: t('roster.col_row'), render: (r) => String(r.row) },
      { label: t('roster.col_student'), render: (r) => r.student_no || '' },
      { label: t('roster.col_status'), render: (r) => h('span', { class: `badge ${badgeClass(r.status)}`, testid: 'roster-status' }, t(`roster.status.${r.status}`)) },
      { label: t('roster.col_message'), render: (r) => pick(r.message, r.message_en) },
    ],
  });
}

export function render(root) {
  const message = messageRegion('roster-message');
  const holder = h('div', { class: 'list-holder', testid: 'roster-result' });
  const input = h('input', { type: 'file', id: 'roster-file', name: 'file', accept: '.csv,.xlsx,text/csv', testid: 'roster-file', required: true });
  const check = h('button', { type: 'submit', class: 'btn', testid: 'roster-dry-run' }, t('roster.dry_run'));
  const confirm = h('button', { type: 'button', class: 'btn btn-primary', testid: 'roster-confirm', disabled: true }, t('roster.confirm'));

  async function send(dryRun, button) {
    message.clear();
    const file = input.files[0];
    if (!file) { message.show(t('roster.choose_file'), 'error'); return; }
    const form = new FormData();
    form.append('file', file);
    form.append('dry_run', dryRun ? 'true' : 'false');
    await busy(button, async () => {
      try {
        const answer = await apiUpload('/api/certificates/rosters', form);
        replace(holder, verdictTable(answer.rows));
        const bad = answer.rows.filter((r) => ERRORS.has(r.status)).length;
        confirm.disabled = !dryRun || bad > 0 || !answer.rows.some((r) => r.status === 'ok');
        if (dryRun) message.show(bad ? t('roster.has_errors', { n: bad }) : t('roster.ready'), bad ? 'error' : 'info');
        else message.show(t('roster.created', { n: answer.created }), 'success');
      } catch (err) {
        if (err.body?.rows) replace(holder, verdictTable(err.body.rows));
        confirm.disabled = true;
        message.show(err.message, 'error');
      }
    });
  }

  const form = h('form', { class: 'card form', testid: 'roster-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'roster-file' }, t('roster.file')), input,
      h('p', { class: 'hint' }, t('roster.columns'))),
    h('div', { class: 'actions' }, check, confirm,
      downloadLink({ path: '/api/certificates/rosters/template.csv', label: t('roster.template'), testid: 'roster-template',
        fallbackName: 'roster-template.csv', onError: (err) => message.show(err.message, 'error') })));
  form.addEventListener('submit', (event) => { event.preventDefault(); send(true, check); });
  confirm.addEventListener('click', () => send(false, confirm));
  input.addEventListener('change', () => { confirm.disabled = true; replace(holder); });
  root.append(pageTitle(t('roster.title')),
    h('ul', { class: 'notes' }, h('li', {}, t('roster.note_who')), h('li', {}, t('roster.note_students')), h('li', {}, t('roster.note_again'))),
    form, message.el, holder);
}
