"""Bundle promotion and the credit waiver outcome."""

from __future__ import annotations

from review.domain.bundles import BundleProgress
from review.domain.credit import pass_outcome
from review.domain.tracks import Track


def test_members_wait_until_the_nth_passes_then_all_pass_together():
    progress = BundleProgress("s1", "TQC")
    assert progress.pass_member("a", 3) == []
    assert progress.pass_member("b", 3) == []
    assert progress.waiting == 2
    assert progress.pass_member("c", 3) == ["a", "b", "c"]
    assert progress.complete
    assert progress.pass_member("d", 3) == ["d"]  # a complete bundle passes later members at once


def test_passing_the_same_member_twice_counts_once():
    progress = BundleProgress("s1", "TQC")
    progress.pass_member("a", 2)
    assert progress.pass_member("a", 2) == []
    assert progress.members == ["a"]


def test_two_members_arriving_at_once_release_the_bundle_exactly_once():
    """Both arrive while one waits; under the row lock they are counted one after the other,
    so exactly one of them releases all three, and nobody is left waiting."""
    progress = BundleProgress("s1", "MOS", members=["a"])
    first, second = progress.pass_member("b", 3), progress.pass_member("c", 3)
    assert first == [] and second == ["a", "b", "c"]
    assert progress.waiting == 0


def test_a_rejected_member_no_longer_counts():
    progress = BundleProgress("s1", "TQC")
    progress.pass_member("a", 3)
    progress.pass_member("b", 3)
    assert progress.withdraw("a")
    assert progress.pass_member("c", 3) == []
    assert progress.pass_member("d", 3) == ["b", "c", "d"]
    assert not progress.withdraw("b")  # complete bundles keep their members


def test_credit_waiver_first_it_certificate_then_recorded():
    waiver = Track("verified", credit_waiver=True)
    assert pass_outcome(waiver, True, None, "a") == "credit_pending"
    assert pass_outcome(waiver, True, "a", "a") == "credit_pending"
    assert pass_outcome(waiver, True, "a", "b") == "recorded"
    assert pass_outcome(waiver, False, None, "a") == "approved"  # not an IT certificate
    assert pass_outcome(Track("simple"), True, None, "a") == "approved"
