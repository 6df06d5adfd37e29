"""Academic years (ROC, from August 1) and the April window, in Asia/Taipei time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rewards.domain.calendar import TAIPEI, Window, academic_year_bounds, academic_year_of, as_aware, default_window


def taipei(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TAIPEI)


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (taipei(2020, 7, 31, 23, 59), 108),
        (taipei(2020, 8, 1, 0, 0), 109),
        (taipei(2019, 8, 1, 0, 0), 108),
        (taipei(2026, 4, 15, 12, 0), 114),
        (date(2025, 7, 31), 113),
        (date(2025, 8, 1), 114),
    ],
)
def test_academic_year_starts_on_august_first(moment, year):
    assert academic_year_of(moment) == year


def test_academic_year_is_decided_in_taipei_time():
    # 2020-07-31 16:30 UTC is already August 1, 00:30 in Taipei
    assert academic_year_of(datetime(2020, 7, 31, 16, 30, tzinfo=UTC)) == 109
    assert academic_year_of(datetime(2020, 7, 31, 15, 59, tzinfo=UTC)) == 108


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        academic_year_of(datetime(2020, 8, 1))


def test_academic_year_bounds():
    assert academic_year_bounds(108) == (date(2019, 8, 1), date(2020, 7, 31))


def test_default_window_is_april_of_the_spring():
    window = default_window(114)
    assert window.opens_at == taipei(2026, 4, 1, 0, 0)
    assert window.closes_at == taipei(2026, 5, 1, 0, 0)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (taipei(2026, 3, 31, 23, 59, 59), False),
        (taipei(2026, 4, 1, 0, 0), True),
        (taipei(2026, 4, 30, 23, 59), True),
        (taipei(2026, 4, 30, 23, 59, 59), True),
        (taipei(2026, 5, 1, 0, 0), False),
        (datetime(2026, 4, 30, 15, 59, tzinfo=UTC), True),  # 23:59 Taipei
        (datetime(2026, 4, 30, 16, 0, tzinfo=UTC), False),  # 00:00 May 1 Taipei
        (datetime(2026, 3, 31, 16, 0, tzinfo=UTC), True),  # 00:00 April 1 Taipei
    ],
)
def test_window_boundaries_in_taipei_time(moment, is_open):
    assert default_window(114).is_open(moment) is is_open


def test_window_describes_itself_in_taipei_time():
    window = default_window(114)
    assert window.describe_zh() == "2026-04-01 00:00 至 2026-04-30 23:59"
    assert "Asia/Taipei" in window.describe_en()


def test_window_must_close_after_it_opens():
    with pytest.raises(ValueError):
        Window(114, taipei(2026, 5, 1), taipei(2026, 4, 1))


def test_naive_admin_input_is_taipei_time():
    assert as_aware(datetime(2026, 4, 1)) == taipei(2026, 4, 1)
