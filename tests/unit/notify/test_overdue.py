"""Which SLA applies to a pending item in notify (the same resolution as review's tracks), and overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

from notify.domain.overdue import DEFAULT_SLA_DAYS, TrackSla, due_on, is_overdue, sla_for
from notify.service_layer.reminders import by_reviewer

SLAS = [TrackSla(3, None, 14), TrackSla(3, "EE", 3), TrackSla(1, None, 7)]


def test_a_department_override_beats_the_category():
    assert sla_for(SLAS, 3, "EE") == 3
    assert sla_for(SLAS, 3, "IM") == 14
    assert sla_for(SLAS, 9, "IM") == DEFAULT_SLA_DAYS
    assert sla_for([], None, None) == DEFAULT_SLA_DAYS


def test_due_in_taipei_days_and_overdue_from_the_next_day():
    since = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 3-02 in Taipei
    assert due_on(since, 7) == date(2026, 3, 9)
    assert not is_overdue(since, 7, date(2026, 3, 9))
    assert is_overdue(since, 7, date(2026, 3, 10))


def test_a_reviewer_of_several_departments_is_one_recipient():
    assert by_reviewer({"IM": ["a@x.tw", "b@x.tw"], "EE": ["a@x.tw"]}) == {"a@x.tw": ["IM", "EE"], "b@x.tw": ["IM"]}
