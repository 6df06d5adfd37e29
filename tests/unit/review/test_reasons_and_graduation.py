"""Rejection reasons and graduation thresholds: the pure rules."""

from __future__ import annotations

import pytest

from certhub_kit.errors import Invalid
from review.domain.graduation import (
    Alternative,
    PassedCertificate,
    Rule,
    RuleSet,
    checked_rule_set,
    cohort_of,
    evaluate,
)
from review.domain.reasons import DEMO_REASONS, RejectReason, checked_list, reason_text, usable


@pytest.mark.parametrize(
    ("number", "cohort"),
    [
        ("s1100001", 110),
        ("B1120034", 112),
        ("s0990001", 99),
        ("9912345", 99),
        ("1091234", 109),
        ("rev-im", None),
        ("s12", None),
    ],
)
def test_cohort_from_the_student_number(number, cohort):
    assert cohort_of(number) == cohort


def cert(cid, key="gept", category=1, it=False, cefr=None):
    return PassedCertificate(cid, key, category, it, cefr)


IM = RuleSet(
    "IM",
    110,
    (
        Rule("英語 B1", "English B1", (Alternative(count=1, category=1, min_cefr="B1"),)),
        Rule(
            "資訊兩張", "Two IT", (Alternative(count=2, it_certificate=True), Alternative(count=1, entries=("ccna",)))
        ),
    ),
)


def test_all_rules_must_be_met_and_any_alternative_meets_a_rule():
    met, progress = evaluate(IM, [cert("e", cefr="B2"), cert("c", key="ccna", category=3, it=True)])
    assert met and progress[1].counted == ["c"]
    met, progress = evaluate(IM, [cert("e", cefr="A2"), cert("t", key="tqc", category=3, it=True)])
    assert not met
    assert (progress[0].met, progress[0].missing, progress[1].missing) == (False, 1, 1)
    assert progress[1].as_dict()["missing_text"] == "尚缺 1 張：資訊兩張"


def test_a_certificate_counts_for_one_rule_only():
    twice = RuleSet("IM", 110, (Rule("任一張", "Any", (Alternative(),)), Rule("再一張", "Another", (Alternative(),))))
    assert evaluate(twice, [cert("a")])[0] is False
    assert evaluate(twice, [cert("a"), cert("b")])[0] is True


def test_rule_sets_are_checked():
    with pytest.raises(Invalid):
        checked_rule_set(RuleSet("IM", 110, ()))
    with pytest.raises(Invalid):
        checked_rule_set(RuleSet("IM", 110, (Rule("x", "x", ()),)))


def test_reason_lists_are_checked_and_reasons_compose_the_text():
    assert [r.label for r in DEMO_REASONS] == ["影本不清楚", "非本人", "超過六個月", "非認可證照", "等級不符"]
    with pytest.raises(Invalid, match="repeats"):
        checked_list([DEMO_REASONS[0], DEMO_REASONS[0]])
    with pytest.raises(Invalid):
        checked_list([RejectReason("Bad Code", "a", "a", "a", "a")])
    retired = RejectReason("old", "舊", "Old", "x", "x", active=False)
    with pytest.raises(Invalid):
        usable({"old": retired}, "old")
    assert reason_text(DEMO_REASONS[0], "右下角模糊") == "影本不清楚：右下角模糊"
    assert reason_text(DEMO_REASONS[0], None) == "影本不清楚" and reason_text(None, "自由填寫") == "自由填寫"
