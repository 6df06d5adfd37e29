"""Choosing certificates for a standard, who may change an application, the review rules."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from certhub_kit.errors import Conflict, Invalid
from rewards.domain import applications as a
from rewards.domain.standards import Qualifying, RewardStandard

TQC = RewardStandard(
    uuid.uuid4(),
    114,
    "IM",
    2,
    16,
    "TQC+認證",
    3000,
    2,
    (Qualifying("tqc-word", ("專業級",)), Qualifying("tqcplus-python3")),
)


TODAY = date(2025, 6, 1)


def candidate(key="tqcplus-python3", level=None, *, student="s1", eligible=True, used=False, expires_on=None):
    return a.CandidateCertificate(uuid.uuid4(), student, key, key, level, eligible, used, expires_on)


def test_exactly_the_required_count_of_own_eligible_unused_qualifying_certificates():
    mine = [candidate(), candidate("tqc-word", "專業級")]
    assert len(a.choose_certificates(TQC, "s1", [c.certificate_id for c in mine], mine, today=TODAY)) == 2


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: [candidate()], Invalid),  # too few
        (lambda: [candidate(), candidate(student="s2")], Invalid),  # someone else's
        (lambda: [candidate(), candidate(eligible=False)], Invalid),  # not approved
        (lambda: [candidate(), candidate(used=True)], Conflict),  # used already
        (lambda: [candidate(), candidate(expires_on=date(2025, 5, 31))], Conflict),  # expired yesterday
        (lambda: [candidate(), candidate("tqc-word", "進階級")], Invalid),  # level does not qualify
        (lambda: [candidate(), candidate("mos-word")], Invalid),  # entry does not qualify
    ],
)
def test_wrong_choices_are_refused(make, error):
    chosen = make()
    with pytest.raises(error):
        a.choose_certificates(TQC, "s1", [c.certificate_id for c in chosen], chosen, today=TODAY)


def test_a_certificate_counts_through_its_expiry_day():
    last_day = [candidate(), candidate(expires_on=TODAY)]
    assert len(a.choose_certificates(TQC, "s1", [c.certificate_id for c in last_day], last_day, today=TODAY)) == 2
    expired = [candidate(), candidate(expires_on=date(2024, 1, 1))]
    with pytest.raises(Conflict) as caught:
        a.choose_certificates(TQC, "s1", [c.certificate_id for c in expired], expired, today=TODAY)
    assert caught.value.code == "certificate_expired" and "2024-01-01" in caught.value.message


def test_the_same_certificate_twice_is_refused():
    one = candidate()
    with pytest.raises(Invalid):
        a.choose_certificates(TQC, "s1", [one.certificate_id, one.certificate_id], [one], today=TODAY)


def test_students_change_applications_only_before_a_passed_first_review():
    assert a.student_may_change(a.SUBMITTED, None)
    assert a.student_may_change(a.FIRST_REJECTED, "N")
    assert not a.student_may_change(a.FIRST_PASSED, "Y")
    assert not a.student_may_change(a.INVALID, "Y")
    assert not a.student_may_change(a.PAID, "Y")


def test_first_review_passes_only_with_a_way_to_pay_the_amount():
    for method, acknowledged, code in (
        (None, False, "bank_account_missing"),
        ("other", False, "other_payment_unacknowledged"),
    ):
        with pytest.raises(Conflict) as caught:
            a.first_review_outcome(a.SUBMITTED, "Y", 5000, method, acknowledged)
        assert caught.value.code == code
    assert a.first_review_outcome(a.SUBMITTED, "Y", 5000, "bank", False) == a.FIRST_PASSED
    assert a.first_review_outcome(a.SUBMITTED, "Y", 5000, "other", True) == a.FIRST_PASSED
    assert a.first_review_outcome(a.SUBMITTED, "Y", 0, None, False) == a.FIRST_PASSED  # nothing to pay
    assert a.first_review_outcome(a.SUBMITTED, "N", 5000, None, False) == a.FIRST_REJECTED
    with pytest.raises(Conflict):
        a.first_review_outcome(a.FIRST_PASSED, "Y", 5000, "bank", False)


def test_one_person_never_does_both_reviews():
    a.check_separate_reviewers(False, "center", "rev-im", None)
    a.check_separate_reviewers(True, "rev-im", None, None)
    for stage_first, first, second in ((False, "center", None), (True, None, "center")):
        with pytest.raises(Conflict) as caught:
            a.check_separate_reviewers(stage_first, "center", first, second)
        assert caught.value.code == "same_reviewer" and "同一人" in caught.value.message


def test_second_review_only_after_a_passed_first():
    assert a.second_review_outcome(a.FIRST_PASSED, "Y") == a.SECOND_PASSED
    with pytest.raises(Conflict):
        a.second_review_outcome(a.SUBMITTED, "Y")
    with pytest.raises(Invalid):
        a.check_review_result("maybe")


def test_every_status_has_a_label():
    assert a.status_label(a.PAID) == ("已撥款", "Paid")
