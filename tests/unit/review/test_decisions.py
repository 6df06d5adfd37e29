"""Which decisions are allowed on an item, and with what reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from certhub_kit.errors import Conflict, Forbidden, Invalid
from review.domain.decisions import Step, ensure_unchanged, step_for
from review.domain.tracks import Track

from .factories import item

SIMPLE = Track("simple")
VERIFIED = Track("verified", original_check_required=True, credit_waiver=True)
FAILED_WINDOW = [
    {"rule": "reporting_window", "passed": False, "reason": "逾期", "reason_en": "late"},
    {"rule": "bundle", "passed": False, "reason": "", "reason_en": ""},
]


def test_approve_on_a_simple_track():
    assert step_for(item(), SIMPLE, "approved", None, by_center=False) is Step.PASS


def test_rejection_and_rereview_need_a_reason():
    with pytest.raises(Invalid) as refused:
        step_for(item(), SIMPLE, "rejected", "  ", by_center=False)
    assert refused.value.code == "reason_required"
    assert step_for(item(), SIMPLE, "rejected", "not legible", by_center=False) is Step.REJECT
    with pytest.raises(Invalid):
        step_for(item(), SIMPLE, "rereview", None, by_center=False)


def test_overriding_a_failed_rule_needs_a_reason_but_a_waiting_bundle_does_not():
    failing = item(checklist=FAILED_WINDOW)
    assert failing.failed_rules() == ["reporting_window"]
    with pytest.raises(Invalid) as refused:
        step_for(failing, SIMPLE, "approved", None, by_center=False)
    assert "reporting_window" in refused.value.message_en
    assert step_for(failing, SIMPLE, "approved", "illness, documented", by_center=False) is Step.PASS


def test_verified_track_needs_the_original_before_approval():
    with pytest.raises(Conflict) as refused:
        step_for(item(), VERIFIED, "approved", None, by_center=True)
    assert refused.value.code == "original_required" and refused.value.status == 409
    checked = item(status="verifying", original_checked_at=datetime.now(UTC))
    assert step_for(checked, VERIFIED, "approved", None, by_center=False) is Step.PASS
    assert step_for(item(), VERIFIED, "rejected", "fake", by_center=False) is Step.REJECT


def test_items_not_awaiting_review_cannot_be_decided():
    for status in ("draft", "approved", "rejected", "recorded"):
        with pytest.raises(Conflict):
            step_for(item(status=status), SIMPLE, "approved", "x", by_center=True)
    with pytest.raises(Conflict) as pending:
        step_for(item(awaiting_status="approved"), SIMPLE, "rejected", "x", by_center=True)
    assert pending.value.code == "decision_pending"


def test_credit_pending_becomes_approved_only_by_the_centre():
    pending = item(status="credit_pending")
    assert step_for(pending, VERIFIED, "approved", "registrar recorded", by_center=True) is Step.REGISTRAR_RECORDED
    with pytest.raises(Forbidden):
        step_for(pending, VERIFIED, "approved", None, by_center=False)
    with pytest.raises(Conflict):
        step_for(pending, VERIFIED, "rejected", "x", by_center=True)


def test_unknown_decisions_and_waiver_decisions_off_a_waiver_track():
    with pytest.raises(Invalid):
        step_for(item(), SIMPLE, "maybe", None, by_center=True)
    with pytest.raises(Invalid):
        step_for(item(), SIMPLE, "credit_pending", None, by_center=True)


def test_rereview_twice_is_a_conflict():
    with pytest.raises(Conflict) as again:
        step_for(item(status="rereview"), SIMPLE, "rereview", "still missing", by_center=False)
    assert again.value.code == "already_rereview"


def test_a_decision_names_a_version_whose_content_is_still_current():
    edited = item(version=7, content_version=5)  # edited at 5, then two status changes
    for seen in (5, 6, 7):
        ensure_unchanged(edited, seen)
    for seen in (4, 8):  # before the edit; a version review does not know yet
        with pytest.raises(Conflict) as caught:
            ensure_unchanged(edited, seen)
        assert caught.value.code == "certificate_changed" and "變更" in caught.value.message
