// First review (初審, reviewer) and second review (複審, centre) of reward
// applications: POST /api/rewards/applications/{id}/{first|second}-review
// {"result": "Y"|"N", "note"}. At 初審 the reviewer marks flags the student did not declare
// (PUT …/{id}/flags {"flags"}: 已獲政府補助, 已用於畢業門檻); the year's rules may exclude them.
import { h, replace, field, select, messageRegion, busy, pageTitle, uid } from '../dom.js';
import { api, fetchAll } from '../api.js';
import { t } from '../i18n.js';
import { academicYearOptions } from '../format.js';
import { applicationTable } from './application-table.js';
import { openScanViewer } from './scan-viewer.js';

// Application statuses of the rewards service: submitted (初審中) waits for
// the first review, first_passed (複審中) for the second.
const STAGES = {
  first: { query: { status: 'submitted' } },
  second: { query: { status: 'first_passed' } },
};

export function renderRewardReview(root, ctx, stage) {
  const config = STAGES[stage];
  const prefix = `${stage}-review`;
  const message = messageRegion(`${prefix}-message`);
  const holder = h('div', { class: 'list-holder' }, t('common.loading'));
  const year = select({ name: 'year', testid: `${prefix}-year` }, academicYearOptions(), { empty: t('common.all_years') });

  async function review(app, result, note, button) {
    message.clear();
    if (result === 'N' && !note) {
      message.show(t('reward_review.note_required'), 'error');
      return;
    }
    await busy(button, async () => {
      try {
        await api(`/api/rewards/applications/${encodeURIComponent(app.id)}/${stage}-review`, { method: 'POST', json: { result, note } });
        message.show(t('reward_review.done', { label: app.label, result: result === 'Y' ? t('review.result_y') : t('review.result_n') }), 'success');
        await load();
      } catch (err) {
        message.show(err.message, 'error');
      }
    });
  }

  function actions(app) {
    const note = h('input', { type: 'text', id: uid('note'), testid: `${prefix}-note`, class: 'reason-input' });
    const yes = h('button', { type: 'button', class: 'btn btn-small decision-approved', testid: `${prefix}-Y` }, t('reward_review.pass'));
    const no = h('button', { type: 'button', class: 'btn btn-small decision-rejected', testid: `${prefix}-N` }, t('reward_review.fail'));
    yes.addEventListener('click', () => review(app, 'Y', note.value.trim(), yes));
    no.addEventListener('click', () => review(app, 'N', note.value.trim(), no));
    return h('div', { class: 'decision-box' }, stage === 'first' ? flagBoxes(app) : null,
      h('label', { for: note.id, class: 'small-label' }, t('reward_review.note')), note, h('div', { class: 'row-actions' }, yes, no),
      passbookButton(app));
  }

  /** The centre decides 複審 looking at the passbook cover (GET …/passbook: the owner and the centre only). */
  function passbookButton(app) {
    if (stage !== 'second' || !ctx.user.roles.includes('center') || !app.bank_account?.has_passbook) return null;
    const path = `/api/rewards/applications/${encodeURIComponent(app.id)}/passbook`;
    return h('button', { type: 'button', class: 'btn btn-small', testid: `${prefix}-passbook`,
      onClick: () => openScanViewer(path, `${t('reward_review.passbook')} — ${app.label || ''}`) }, t('reward_review.passbook'));
  }

  function flagBoxes(app) {
    const boxes = ['subsidised', 'threshold'].map((f) => h('input', {
      type: 'checkbox', id: uid('flag'), value: f, testid: `${prefix}-flag-${f}`, checked: (app.flags || []).includes(f),
    }));
    const save = async () => {
      message.clear();
      try {
        await api(`/api/rewards/applications/${encodeURIComponent(app.id)}/flags`, {
          method: 'PUT', json: { flags: boxes.filter((b) => b.checked).map((b) => b.value) },
        });
      } catch (err) {
        message.show(err.message, 'error');
      }
    };
    boxes.forEach((b) => b.addEventListener('change', save));
    return h('div', { class: 'flag-list' }, boxes.map((b) => h('span', { class: 'checkbox' }, b,
      h('label', { for: b.id, class: 'small-label' }, ` ${t(`flag.${b.value}`)}`))));
  }

  async function load() {
    try {
      const rows = await fetchAll('/api/rewards/applications', { ...config.query, year: year.value });
      replace(holder, applicationTable({ rows, testid: `${prefix}-table`, rowTestid: `${prefix}-row`, reviews: stage === 'first' ? ['first'] : ['first', 'second'], actions }));
    } catch (err) {
      replace(holder);
      message.show(err.message, 'error');
    }
  }

  year.addEventListener('change', load);
  root.append(pageTitle(t(`reward_review.${stage}_title`)), h('p', { class: 'lead' }, t(`reward_review.${stage}_intro`)),
    h('div', { class: 'filters' }, field(t('query.year'), year)), message.el, holder);
  load();
}
