"""When reminders are due: the reward window's opening and closing, and reviewers' digests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import academic_year_of, taipei_date, to_taipei
from .mail import WINDOW_CLOSES_SOON, WINDOW_OPEN_TODAY, WINDOW_OPENS_SOON

OPENS_SOON_DAYS = 7
CLOSES_SOON_DAYS = 3
REMINDER_NAMESPACE = uuid.UUID("6f1d4f3e-5b0a-4c4e-9a57-2b8f0c1d7e11")


@dataclass(frozen=True)
class RewardWindow:
    """One year's application window, both days inclusive, in Taipei dates."""

    opens_on: date
    closes_on: date

    @property
    def academic_year(self) -> int:
        return academic_year_of(self.opens_on)

    @classmethod
    def for_year(cls, year: int, opens: str, closes: str) -> RewardWindow:
        """``opens``/``closes`` are ``MM-DD``; a closing day before the opening day is next year's."""
        opens_on = _month_day(year, opens)
        closes_on = _month_day(year, closes)
        if closes_on < opens_on:
            closes_on = _month_day(year + 1, closes)
        return cls(opens_on, closes_on)


def _month_day(year: int, value: str) -> date:
    month, day = (int(part) for part in value.split("-"))
    return date(year, month, day)


def window_reminder_due(window: RewardWindow, today: date) -> str | None:
    """The window reminder due on ``today`` (7 days before, on day 1, 3 days before the end)."""
    if today == window.opens_on - timedelta(days=OPENS_SOON_DAYS):
        return WINDOW_OPENS_SOON
    if today == window.opens_on:
        return WINDOW_OPEN_TODAY
    if today == window.closes_on - timedelta(days=CLOSES_SOON_DAYS):
        return WINDOW_CLOSES_SOON
    return None


def windows_around(today: date, opens: str, closes: str) -> list[RewardWindow]:
    """This year's and next year's windows: enough to find any reminder due today."""
    return [RewardWindow.for_year(today.year + k, opens, closes) for k in (-1, 0, 1)]


def reminder_event_id(kind: str, day: date) -> uuid.UUID:
    """A stable id per (kind, Taipei day): the delivery log then sends each reminder once per recipient."""
    return uuid.uuid5(REMINDER_NAMESPACE, f"{kind}:{day.isoformat()}")


def is_due(now: datetime, hour: int) -> bool:
    return to_taipei(now).hour >= hour


def age_in_days(since: datetime, now: datetime) -> int:
    return max(0, (taipei_date(now) - taipei_date(since)).days)
