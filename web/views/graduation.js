// Student: progress toward the department's graduation threshold (畢業門檻)
// from GET /api/review/thresholds/{student} → {met, cohort, dept, threshold,
// rules: [{rule, rule_en, met, counted, missing, missing_text, missing_text_en}]}.
import { deptLabel } from '../components/departments.js';
import { h, replace, messageRegion, pageTitle } from '../dom.js';
import { api } from '../api.js';
import { t, pick } from '../i18n.js';
import { getUser } from '../session.js';

function ruleItem(rule) {
  return h('li', { class: ['threshold-rule', rule.met ? 'met' : 'missing'], testid: 'threshold-rule', 'data-met': String(rule.met) },
    h('strong', {}, pick(rule.rule, rule.rule_en)), ' — ',
    h('span', { testid: 'threshold-rule-state' }, rule.met ? t('grad.rule_met', { n: rule.counted.length })
      : pick(rule.missing_text, rule.missing_text_en)));
}

export function render(root) {
  const message = messageRegion('grad-message');
  const holder = h('div', { testid: 'grad-progress' });

  async function load() {
    try {
      const user = getUser();
      const answer = await api(`/api/review/thresholds/${encodeURIComponent(user.sub)}`);
      if (!answer.threshold) {
        replace(holder, h('p', { testid: 'grad-none' }, t('grad.none', { cohort: answer.cohort ?? '—' })));
        return;
      }
      replace(holder,
        h('p', { class: ['grad-summary', answer.met ? 'met' : 'missing'], testid: 'grad-summary', 'data-met': String(answer.met) },
          answer.met ? t('grad.met') : t('grad.not_met')),
        h('p', { class: 'hint' }, t('grad.basis', { dept: deptLabel(answer.threshold.dept), cohort: answer.threshold.cohort })),
        h('ul', { class: 'threshold-rules' }, answer.rules.map(ruleItem)));
    } catch (err) {
      message.show(err.message, 'error');
    }
  }
  root.append(pageTitle(t('grad.title')), h('p', { class: 'lead' }, t('grad.intro')), message.el, holder);
  load();
}
