"""Reward rules of a year: the cap, exclusions, the budget's ranking and waiting list, the preview."""

from __future__ import annotations

import pytest

from certhub_kit.errors import Conflict, Invalid
from rewards.domain import rules as r


def claim(n, student="s1", amount=1000, level=1, committed=False):
    return r.Claim(f"a{n}", n, student, student, f"std{n}", amount, level, committed)


def test_the_cap_reduces_to_the_remainder_then_refuses():
    rules = r.YearRules(114, cap_per_student=1500)
    assert r.capped_amount(rules, 1000, 0) == 1000
    assert r.capped_amount(rules, 1000, 1000) == 500
    with pytest.raises(Conflict) as caught:
        r.capped_amount(rules, 1000, 1500)
    assert caught.value.code == "cap_reached" and "1,500" in caught.value.message
    assert r.capped_amount(r.YearRules(114), 9000, 9000) == 9000  # no cap
    assert r.capped_amount(rules, 0, 5000) == 0  # a level-1 (no money) application is never refused


def test_exclusions_refuse_only_the_flags_the_year_excludes():
    rules = r.YearRules(114, exclusions=(r.SUBSIDISED,))
    r.check_not_excluded(rules, [r.THRESHOLD])
    with pytest.raises(Conflict) as caught:
        r.check_not_excluded(rules, [r.SUBSIDISED])
    assert caught.value.code == "excluded_by_rules" and "政府補助" in caught.value.message


@pytest.mark.parametrize(
    "form",
    [
        dict(cap_per_student=-1, budget=None, exclusions=[], ranking="earliest"),
        dict(cap_per_student=None, budget=None, exclusions=["pretty"], ranking="earliest"),
        dict(cap_per_student=None, budget=None, exclusions=[], ranking="random"),
        dict(cap_per_student=True, budget=None, exclusions=[], ranking="earliest"),
    ],
)
def test_bad_rules_are_refused(form):
    with pytest.raises(Invalid):
        r.rules_from_form(114, **form)


def test_rules_from_form_keeps_the_values():
    rules = r.rules_from_form(
        114,
        cap_per_student=1500,
        budget=10000,
        exclusions=["threshold", "threshold"],
        ranking="highest_level",
        return_fee=30,
    )
    assert rules == r.YearRules(114, 1500, 10000, ("threshold",), "highest_level", 30)


@pytest.mark.parametrize(
    ("ranking", "order"),
    [("earliest", ["a1", "a2", "a3"]), ("highest_level", ["a3", "a2", "a1"]), ("highest_amount", ["a2", "a3", "a1"])],
)
def test_ranking(ranking, order):
    claims = [claim(1, amount=500, level=1), claim(2, amount=3000, level=2), claim(3, amount=2000, level=3)]
    assert [c.id for c in r.ranked(claims, ranking)] == order


def test_promotion_is_strictly_in_rank_order():
    waiting = [claim(1, amount=3000), claim(2, amount=500)]
    assert r.promotable(4000, 0, waiting, "earliest") == waiting
    assert r.promotable(2000, 0, waiting, "earliest") == []  # the 500 does not jump the 3000
    assert r.promotable(None, 10**9, waiting, "earliest") == waiting


def test_preview_caps_per_student_and_lists_who_would_wait():
    rules = r.YearRules(114, cap_per_student=1500, budget=2000, ranking="earliest")
    claims = [claim(1, "s1", 1000, committed=True), claim(2, "s1", 1000), claim(3, "s2", 1000), claim(4, "s3", 800)]
    result = r.preview(rules, claims)
    assert result.total == 1000 + 500 + 1000 + 800 and result.count == 4
    assert [o["application_id"] for o in result.over_cap] == ["a2"] and result.over_cap[0]["capped_amount"] == 500
    # committed 1000 holds; a2 (500) fits, a3 (1000) does not, so a3 and a4 wait in order
    assert [(w["application_id"], w["rank"]) for w in result.waiting] == [("a3", 1), ("a4", 2)]
    assert result.funded_total == 1500


def test_preview_drops_claims_the_cap_leaves_nothing_for():
    result = r.preview(r.YearRules(114, cap_per_student=1000), [claim(1, amount=1000), claim(2, amount=1000)])
    assert result.count == 1 and result.over_cap[0]["capped_amount"] == 0
