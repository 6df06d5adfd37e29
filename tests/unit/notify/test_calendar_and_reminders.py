"""Taiwanese calendar rules and when reminders are due (pure domain, no servers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from notify.domain import calendar
from notify.domain.mail import WINDOW_CLOSES_SOON, WINDOW_OPEN_TODAY, WINDOW_OPENS_SOON, certificate_label
from notify.domain.reminders import (
    RewardWindow,
    age_in_days,
    is_due,
    reminder_event_id,
    window_reminder_due,
    windows_around,
)


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2019, 8, 1), 108),
        (date(2020, 7, 31), 108),
        (date(2020, 8, 1), 109),
        (date(2026, 4, 1), 114),
    ],
)
def test_academic_year_starts_on_august_first(day, year):
    assert calendar.academic_year_of(day) == year


def test_academic_year_labels_accept_roc_or_gregorian_years():
    assert calendar.academic_year_zh(114) == "114 學年度"
    assert calendar.academic_year_zh(2025) == "114 學年度"
    assert calendar.academic_year_en(114) == "academic year 114 (2025–26)"


def test_dates_are_shown_in_taipei_time():
    late_utc = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)  # already 2026-01-01 01:30 in Taipei
    assert calendar.datetime_zh(late_utc) == "民國 115 年 1 月 1 日 01:30（台北時間）"
    assert calendar.datetime_en(late_utc) == "1 January 2026, 01:30 (Taipei time)"
    assert calendar.date_zh(date(2025, 3, 14)) == "民國 114 年 3 月 14 日"
    assert calendar.taipei_date(datetime(2025, 1, 1, 23, 0, tzinfo=timezone(timedelta(hours=-5)))) == date(2025, 1, 2)


def test_default_window_is_april_and_belongs_to_the_academic_year_before():
    window = RewardWindow.for_year(2026, "04-01", "04-30")
    assert (window.opens_on, window.closes_on, window.academic_year) == (date(2026, 4, 1), date(2026, 4, 30), 114)


def test_a_window_spanning_new_year_closes_the_next_year():
    window = RewardWindow.for_year(2025, "12-15", "01-15")
    assert window.closes_on == date(2026, 1, 15)


@pytest.mark.parametrize(
    "today, due",
    [
        (date(2026, 3, 25), WINDOW_OPENS_SOON),
        (date(2026, 4, 1), WINDOW_OPEN_TODAY),
        (date(2026, 4, 27), WINDOW_CLOSES_SOON),
        (date(2026, 3, 26), None),
        (date(2026, 4, 2), None),
        (date(2026, 4, 30), None),
    ],
)
def test_window_reminders_fall_on_their_days(today, due):
    window = RewardWindow(date(2026, 4, 1), date(2026, 4, 30))
    assert window_reminder_due(window, today) == due


def test_windows_around_finds_the_reminder_for_any_day():
    kinds = {window_reminder_due(w, date(2026, 3, 25)) for w in windows_around(date(2026, 3, 25), "04-01", "04-30")}
    assert WINDOW_OPENS_SOON in kinds


def test_reminder_ids_are_stable_per_kind_and_day():
    assert reminder_event_id("a", date(2026, 4, 1)) == reminder_event_id("a", date(2026, 4, 1))
    assert reminder_event_id("a", date(2026, 4, 1)) != reminder_event_id("a", date(2026, 4, 2))
    assert reminder_event_id("a", date(2026, 4, 1)) != reminder_event_id("b", date(2026, 4, 1))


def test_due_hours_and_ages_use_taipei_days():
    morning_taipei = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 08:30 in Taipei
    assert is_due(morning_taipei, 8) and not is_due(morning_taipei, 9)
    assert age_in_days(datetime(2026, 3, 31, 15, 59, tzinfo=UTC), morning_taipei) == 1
    assert age_in_days(datetime(2026, 3, 31, 16, 1, tzinfo=UTC), morning_taipei) == 0


def test_certificate_label_does_not_repeat_the_level():
    assert certificate_label("TOEIC 多益測驗", "金色證書") == "TOEIC 多益測驗 金色證書"
    assert certificate_label("TQC Word 進階級", "進階級") == "TQC Word 進階級"
    assert certificate_label("證券商業務員", None) == "證券商業務員"
