"""The 8-state machine of docs/product.md ("Status machine") and the owner's edit rules."""

from __future__ import annotations

import pytest

from certhub_kit.errors import Conflict
from certificates.domain import status as machine
from certificates.domain.status import Status

ALL = list(Status)


def test_there_are_eight_states_with_zh_and_en_labels():
    assert len(ALL) == 8
    assert machine.label("submitted") == ("申請中", "Submitted")
    assert machine.label("recorded")[0] == "登錄完成"
    assert all(zh and en for zh, en in machine.LABELS.values())


@pytest.mark.parametrize(
    "current, target",
    [
        ("draft", "submitted"),
        ("submitted", "verifying"),
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("verifying", "rereview"),
        ("verifying", "credit_pending"),
        ("verifying", "recorded"),
        ("rereview", "approved"),
        ("credit_pending", "approved"),
        ("rejected", "submitted"),
        ("rejected", "draft"),
    ],
)
def test_allowed_transitions(current, target):
    assert machine.can_transition(current, target)


@pytest.mark.parametrize(
    "current, target",
    [
        ("draft", "approved"),
        ("draft", "verifying"),
        ("approved", "rejected"),
        ("approved", "submitted"),
        ("recorded", "approved"),
        ("credit_pending", "rejected"),
        ("submitted", "draft"),
        ("verifying", "submitted"),
        ("submitted", "nonsense"),
        ("nonsense", "submitted"),
    ],
)
def test_refused_transitions(current, target):
    assert not machine.can_transition(current, target)


def test_terminal_states_have_no_way_out():
    assert machine.TRANSITIONS[Status.APPROVED] == frozenset()
    assert machine.TRANSITIONS[Status.RECORDED] == frozenset()


@pytest.mark.parametrize("status", ["draft", "submitted", "verifying", "rereview", "rejected"])
def test_owner_may_edit_until_passed(status):
    assert machine.can_edit(status)
    machine.ensure_editable(status)


@pytest.mark.parametrize("status", ["approved", "recorded", "credit_pending"])
def test_passed_certificates_are_read_only_with_a_reason(status):
    assert not machine.can_edit(status)
    with pytest.raises(Conflict) as caught:
        machine.ensure_editable(status, action="delete")
    assert caught.value.code == "certificate_locked"
    assert "刪除" in caught.value.message and "deleted" in caught.value.message_en


def test_edit_after_rejection_resubmits():
    assert machine.status_after_edit("rejected", needs_confirmation=False) == "submitted"
    assert machine.status_after_edit("rejected", needs_confirmation=True) == "draft"
    assert machine.status_after_edit("submitted", needs_confirmation=True) == "submitted"
    assert machine.status_after_edit("draft", needs_confirmation=False) == "draft"


@pytest.mark.parametrize("status", ["draft", "submitted", "verifying", "rereview"])
def test_an_edit_of_what_was_verified_starts_the_track_again(status):
    assert machine.status_after_edit(status, needs_confirmation=True, restarted=True) == "draft"
    assert machine.status_after_edit(status, needs_confirmation=False, restarted=True) == "submitted"
    assert machine.status_after_edit(status, needs_confirmation=True, restarted=False) == status


def test_verified_changes_are_real_changes_of_verified_fields():
    current = {
        "entry_id": 1,
        "level_id": 2,
        "score": "500",
        "certificate_no": "A1",
        "issued_on": "2024-01-01",
        "remarks": "x",
    }
    assert machine.verified_changes(current, {"score": "500", "remarks": "y"}, new_scan=False) == []
    assert machine.verified_changes(current, {"certificate_no": "A2", "level_id": 3}, new_scan=True) == [
        "level_id",
        "certificate_no",
        "scan",
    ]


def test_initial_status_depends_on_the_track():
    assert machine.initial_status(needs_confirmation=True) == "draft"
    assert machine.initial_status(needs_confirmation=False) == "submitted"
