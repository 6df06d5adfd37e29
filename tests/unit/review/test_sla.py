"""SLA rules: age in the current stage, the due date in Taipei, overdue from the day after; who holds an item."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certhub_kit.errors import Invalid
from review.domain.sla import deadline, holder_of
from review.domain.tracks import Track, TrackSetup

# 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Taipei
STARTED = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)


def test_due_date_counts_taipei_days():
    due = deadline("submitted", STARTED, 7, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # 3-09 23:00 Taipei
    assert (due.age_days, due.due_on, due.overdue) == (7, date(2026, 3, 9), False)
    late = deadline("submitted", STARTED, 7, datetime(2026, 3, 9, 16, 0, tzinfo=UTC))  # 3-10 00:00 Taipei
    assert (late.age_days, late.overdue) == (8, True)


def test_no_due_date_when_no_decision_is_awaited():
    for status in ("draft", "approved", "rejected", "recorded", "credit_pending"):
        due = deadline(status, STARTED, 7, datetime(2026, 6, 1, tzinfo=UTC))
        assert (due.due_on, due.overdue) == (None, False)


def test_missing_sla_uses_the_default():
    assert deadline("rereview", STARTED, None, STARTED).due_on == date(2026, 3, 9)


def test_holder_in_words():
    assert holder_of("submitted", original_checked=False, original_required=False).holder == "系所審核"
    assert holder_of("submitted", original_checked=False, original_required=True).holder.startswith("職輔組")
    assert holder_of("submitted", original_checked=True, original_required=True).holder == "系所審核"
    assert holder_of("verifying", original_checked=True, original_required=True).holder_en.startswith("Careers")
    assert holder_of("draft", original_checked=False, original_required=False).holder.startswith("學生")


@pytest.mark.parametrize("days", [0, 366, -1])
def test_sla_out_of_range_is_refused(days):
    with pytest.raises(Invalid) as refused:
        TrackSetup(tracks={"simple": Track(name="simple", sla_days=days)}, assignments=()).validated()
    assert refused.value.code == "invalid_sla"
