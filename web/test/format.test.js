import './setup.js';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { setLang } from '../i18n.js';
import {
  formatDate, formatDateTime, toRocYear, academicYearLabel, currentAcademicYear, taipeiLocalToIso,
  isoToTaipeiLocal, formatMoney, studentLabel,
} from '../format.js';

beforeEach(() => setLang('zh-TW'));

test('dates: 民國 in zh-TW, ISO in English; timestamps as their date in Taipei', () => {
  assert.equal(formatDate('2026-04-01'), '115年4月1日');
  assert.equal(formatDate('20260401'), '115年4月1日');
  assert.equal(formatDate('2026-03-31T16:30:00Z'), '115年4月1日'); // 00:30 on 1 April in Taipei
  assert.equal(formatDate('not a date'), 'not a date');
  assert.equal(formatDate(null), '');
  setLang('en');
  assert.equal(formatDate('2026-04-01'), '2026-04-01');
  assert.equal(formatDate('2026-03-31T16:30:00Z'), '2026-04-01');
});

test("timestamps are shown in Taipei time (UTC+8), in the language's date style", () => {
  assert.equal(formatDateTime('2026-04-01T01:30:00Z'), '115年4月1日 09:30');
  assert.equal(formatDateTime(''), '');
  setLang('en');
  assert.equal(formatDateTime('2026-04-01T01:30:00Z'), '2026-04-01 09:30');
});

test('民國 years: Gregorian years become ROC years, ROC years stay', () => {
  assert.equal(toRocYear(2025), 114);
  assert.equal(toRocYear(114), 114);
  assert.equal(toRocYear('2026'), 115);
  assert.equal(academicYearLabel(114), '114 學年');
  assert.equal(academicYearLabel(2025), '114 學年');
  setLang('en');
  assert.equal(academicYearLabel(114), 'AY 114 (2025–26)');
  assert.equal(academicYearLabel(''), '');
});

test('the academic year turns on 1 August, Taipei time', () => {
  assert.equal(currentAcademicYear(new Date('2025-07-31T15:59:00Z')), 113); // 23:59 on 31 July in Taipei
  assert.equal(currentAcademicYear(new Date('2025-07-31T16:00:00Z')), 114); // midnight, 1 August
  assert.equal(currentAcademicYear(new Date('2026-01-15T00:00:00Z')), 114);
});

test('datetime-local values are Taipei time both ways', () => {
  assert.equal(taipeiLocalToIso('2026-04-01T09:30'), '2026-04-01T09:30:00+08:00');
  assert.equal(isoToTaipeiLocal('2026-04-01T01:30:00Z'), '2026-04-01T09:30');
  assert.equal(isoToTaipeiLocal('garbage'), '');
});

test('amounts are NT$ with thousands separators; a student is number then name', () => {
  assert.equal(formatMoney(12000), 'NT$ 12,000');
  assert.equal(formatMoney(0), 'NT$ 0');
  assert.equal(formatMoney(null), '');
  assert.equal(studentLabel({ student_id: 's1100001', student_name: '王小明' }), 's1100001 王小明');
});
