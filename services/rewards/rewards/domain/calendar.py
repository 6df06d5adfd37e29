"""Academic years (ROC, starting August 1) and application windows, in Asia/Taipei time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911
YEAR_STARTS = (8, 1)  # August 1
WINDOW_OPENS = (4, 1)  # April 1, 00:00 Taipei
WINDOW_CLOSES = (5, 1)  # May 1, 00:00 Taipei (exclusive: April 30 23:59 is still open)


def academic_year_of(moment: datetime | date) -> int:
    """The ROC academic year a moment falls in: 108 學年 = 2019-08-01 … 2020-07-31 (Taipei)."""
    day = _taipei_date(moment)
    western = day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1
    return western - ROC_OFFSET


def academic_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of an academic year."""
    western = year + ROC_OFFSET
    return date(western, *YEAR_STARTS), date(western + 1, *YEAR_STARTS) - timedelta(days=1)


def _taipei_date(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a naive datetime has no place in window rules; give a timezone")
        return moment.astimezone(TAIPEI).date()
    return moment


def taipei_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=TAIPEI)


@dataclass(frozen=True)
class Window:
    """When students may create, edit or delete applications of one academic year."""

    academic_year: int
    opens_at: datetime
    closes_at: datetime  # exclusive

    def __post_init__(self) -> None:
        if self.opens_at.tzinfo is None or self.closes_at.tzinfo is None:
            raise ValueError("window times need a timezone")
        if self.closes_at <= self.opens_at:
            raise ValueError("a window must close after it opens")

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def describe_zh(self) -> str:
        return f"{_fmt(self.opens_at)} 至 {_fmt(self.closes_at - timedelta(minutes=1))}"

    def describe_en(self) -> str:
        return f"{_fmt(self.opens_at)} to {_fmt(self.closes_at - timedelta(minutes=1))} (Asia/Taipei)"


def _fmt(moment: datetime) -> str:
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")


def default_window(year: int) -> Window:
    """April 1 00:00 – May 1 00:00 Taipei of the spring inside the academic year."""
    spring = year + ROC_OFFSET + 1
    return Window(year, taipei_midnight(date(spring, *WINDOW_OPENS)), taipei_midnight(date(spring, *WINDOW_CLOSES)))


def as_aware(moment: datetime) -> datetime:
    """Naive input is read as Taipei time (what an administrator types)."""
    return moment.replace(tzinfo=TAIPEI) if moment.tzinfo is None else moment


def utc_now() -> datetime:
    return datetime.now(UTC)
