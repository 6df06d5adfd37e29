// Display formats: Asia/Taipei times, ROC academic years, NT$ amounts,
// status badges.
import { h } from './dom.js';
import { t, getLang, apiLabel } from './i18n.js';

export const TIME_ZONE = 'Asia/Taipei';
const ROC_OFFSET = 1911;

export const CERTIFICATE_STATUSES = [
  'draft', 'submitted', 'verifying', 'rereview', 'rejected', 'credit_pending', 'approved', 'recorded',
];
export const DECISIONS = ['approved', 'rejected', 'rereview', 'credit_pending', 'recorded'];

function locale() {
  return getLang() === 'en' ? 'en-GB' : 'zh-TW';
}

/** Parts of a moment in Taipei: {year, month, day, hour, minute}. */
export function taipeiParts(date = new Date()) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/**
 * The one date style of each language: 民國 in zh-TW (115年3月5日, as the mails write
 * dates) and ISO 8601 in English (2026-03-05). `parts` is {year, month, day}.
 */
export function dateInLanguage(parts) {
  const { year, month, day } = parts;
  if (getLang() === 'en') {
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return `${year - ROC_OFFSET}年${month}月${day}日`;
}

/** A timestamp (ISO 8601) shown in Taipei time: 115年4月1日 09:30 / 2026-04-01 09:30. */
export function formatDateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const p = taipeiParts(date);
  return `${dateInLanguage(p)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/**
 * A calendar date in the language's style. Plain dates (YYYY-MM-DD, YYYYMMDD)
 * are read as they are (no time-zone shift); timestamps as their Taipei date.
 */
export function formatDate(value) {
  if (!value) return '';
  const text = String(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) || /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return dateInLanguage({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return dateInLanguage(taipeiParts(date));
}

/** ROC year number from either an ROC year (114) or a Gregorian one (2025). */
export function toRocYear(year) {
  const n = Number(year);
  if (!Number.isFinite(n)) return year;
  return n > ROC_OFFSET ? n - ROC_OFFSET : n;
}

/** "114 學年" / "AY 114 (2025–26)" */
export function academicYearLabel(year) {
  if (year === null || year === undefined || year === '') return '';
  const roc = toRocYear(year);
  const start = roc + ROC_OFFSET;
  return t('format.academic_year', { roc, start, end: String(start + 1).slice(-2) });
}

/** The academic year (ROC) running today in Taipei; it starts on August 1. */
export function currentAcademicYear(now = new Date()) {
  const p = taipeiParts(now);
  return (p.month >= 8 ? p.year : p.year - 1) - ROC_OFFSET;
}

/** Academic-year choices around the current one, newest first. */
export function academicYearOptions(span = 6) {
  const current = currentAcademicYear();
  return Array.from({ length: span }, (_, i) => current + 1 - i)
    .map((roc) => ({ value: roc, label: academicYearLabel(roc) }));
}

/** "YYYY-MM-DDTHH:mm" typed as Taipei local time -> ISO 8601 with +08:00. */
export function taipeiLocalToIso(local) {
  if (!local) return '';
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  return `${withSeconds}+08:00`;
}

/** ISO 8601 -> "YYYY-MM-DDTHH:mm" in Taipei time (for datetime-local inputs). */
export function isoToTaipeiLocal(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = taipeiParts(date);
  const pad = (n) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

export function formatMoney(amount) {
  if (amount === null || amount === undefined || amount === '') return '';
  return `NT$ ${Number(amount).toLocaleString(locale())}`;
}

/** A coloured certificate status badge (API labels zh/en, else the dictionary). */
export function statusBadge(status, label, testid = 'status-badge', labelEn = '') {
  return h('span', { class: ['badge', `status-${status}`], 'data-status': status, testid },
    apiLabel('status', status, label, labelEn));
}

/** Status badge of a reward application (its own code list). */
export function applicationBadge(status, label, testid = 'app-status', labelEn = '') {
  return h('span', { class: ['badge', `app-status-${status}`], 'data-status': status, testid },
    apiLabel('app_status', status, label, labelEn));
}

/** Y / N review result as a small badge. */
export function resultBadge(result) {
  if (!result) return '';
  return h('span', { class: ['badge', result === 'Y' ? 'result-yes' : 'result-no'], 'data-result': result },
    result === 'Y' ? t('review.result_y') : t('review.result_n'));
}

export function yesNo(value) {
  return value ? t('common.yes') : t('common.no');
}

/** "s1100001 王小明" as in the seed's 學號姓名 column. */
export function studentLabel(row) {
  return [row.student_id, row.student_name].filter(Boolean).join(' ');
}

/** Today's date in Taipei as YYYY-MM-DD. */
export function todayInTaipei() {
  const p = taipeiParts();
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
