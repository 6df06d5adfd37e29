"""Taiwanese calendar rules: Taipei time, ROC years (民國) and academic years (學年度)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911
ACADEMIC_YEAR_START_MONTH = 8  # 108 學年度 = 2019-08-01 … 2020-07-31
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def to_taipei(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TAIPEI)


def taipei_date(moment: datetime) -> date:
    return to_taipei(moment).date()


def roc_year(gregorian_year: int) -> int:
    return gregorian_year - ROC_OFFSET


def academic_year_of(day: date) -> int:
    """The ROC academic year a day belongs to (it starts on August 1)."""
    start_year = day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1
    return roc_year(start_year)


def as_roc_academic_year(year: int) -> int:
    """Events may carry an academic year as ROC (114) or as its starting Gregorian year (2025)."""
    return roc_year(year) if year > ROC_OFFSET else year


def academic_year_zh(year: int) -> str:
    return f"{as_roc_academic_year(year)} 學年度"


def academic_year_en(year: int) -> str:
    roc = as_roc_academic_year(year)
    start = roc + ROC_OFFSET
    return f"academic year {roc} ({start}–{str(start + 1)[-2:]})"


def _as_day(value: date | datetime) -> date:
    return taipei_date(value) if isinstance(value, datetime) else value


def date_zh(value: date | datetime) -> str:
    day = _as_day(value)
    return f"民國 {roc_year(day.year)} 年 {day.month} 月 {day.day} 日"


def date_en(value: date | datetime) -> str:
    day = _as_day(value)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def datetime_zh(moment: datetime) -> str:
    local = to_taipei(moment)
    return f"{date_zh(local.date())} {local:%H:%M}（台北時間）"


def datetime_en(moment: datetime) -> str:
    local = to_taipei(moment)
    return f"{date_en(local.date())}, {local:%H:%M} (Taipei time)"
