"""When a pending item is overdue: the SLA of its review track (review.tracks_updated.v1), counted
in Taipei days from the day its status began — the rule the review queue shows (review's domain.sla)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import taipei_date

DEFAULT_SLA_DAYS = 7  # an item of a category no track is assigned to


@dataclass(frozen=True)
class TrackSla:
    category: int
    dept: str | None  # None: the category's assignment for every department without an override
    sla_days: int


def sla_for(slas: list[TrackSla], category: int | None, dept: str | None) -> int:
    """A department's override beats the category's general assignment."""
    general = None
    for sla in slas:
        if sla.category != category:
            continue
        if sla.dept is not None and sla.dept == dept:
            return sla.sla_days
        if sla.dept is None:
            general = sla.sla_days
    return general if general is not None else DEFAULT_SLA_DAYS


def due_on(since: datetime, sla_days: int) -> date:
    return taipei_date(since) + timedelta(days=sla_days)


def is_overdue(since: datetime, sla_days: int, today: date) -> bool:
    return today > due_on(since, sla_days)
