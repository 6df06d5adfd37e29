"""The ROC academic year: year N starts on August 1 of (N + 1911)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911


def taipei_date(moment: datetime) -> date:
    """The calendar date in Asia/Taipei of an aware (or UTC-naive) timestamp."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(TAIPEI).date()


def academic_year_of(day: date) -> int:
    """108 學年 = 2019-08-01 … 2020-07-31."""
    return day.year - ROC_OFFSET if day.month >= 8 else day.year - ROC_OFFSET - 1


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month (Aug 31 + 6 → Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")
