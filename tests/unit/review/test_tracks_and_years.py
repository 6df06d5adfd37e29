"""Track assignment (category, department override), rule versions by academic year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certhub_kit.errors import Invalid
from review.domain.academic_year import academic_year_of, add_months
from review.domain.rule_config import DEFAULT_RULES, RuleConfig, config_for_year
from review.domain.tracks import Assignment, Track, TrackSetup, demo_setup

from .factories import item


def test_demo_setup_is_spec_section_3():
    setup = demo_setup()
    verified = setup.track_for(3, "IM")
    assert verified.name == "verified" and verified.confirmation_required and verified.original_check_required
    assert verified.credit_waiver and verified.bundles == {"MOS": 3, "TQC": 3} and verified.recognised is None
    for category in (1, 2, 4, 5):
        assert setup.track_for(category, "EE") == Track("simple")


def test_department_override_wins_over_the_category():
    setup = TrackSetup(
        tracks={"simple": Track("simple"), "verified": Track("verified", original_check_required=True)},
        assignments=(Assignment(3, "verified"), Assignment(3, "simple", dept="EE")),
    )
    assert setup.track_for(3, "IM").name == "verified"
    assert setup.track_for(3, "EE").name == "simple"
    assert setup.track_for(9, "IM").name == "simple"  # unassigned category: the fallback


def test_invalid_setups_are_refused():
    simple = {"simple": Track("simple")}
    with pytest.raises(Invalid):
        TrackSetup(tracks=simple, assignments=(Assignment(1, "nope"),)).validated()
    with pytest.raises(Invalid):
        TrackSetup(tracks=simple, assignments=(Assignment(1, "simple"), Assignment(1, "simple"))).validated()
    with pytest.raises(Invalid):
        TrackSetup(tracks={"v": Track("v", bundles={"TQC": 0})}, assignments=()).validated()
    with pytest.raises(Invalid):
        TrackSetup(tracks={"Bad Name": Track("Bad Name")}, assignments=()).validated()


def test_academic_year_starts_on_august_first():
    assert academic_year_of(date(2019, 8, 1)) == 108
    assert academic_year_of(date(2020, 7, 31)) == 108
    assert academic_year_of(date(2015, 6, 24)) == 103


def test_an_item_is_judged_by_the_year_it_was_submitted_in():
    submitted_in_113 = item(
        registered_at=datetime(2024, 7, 1, tzinfo=UTC), submitted_at=datetime(2024, 8, 2, tzinfo=UTC)
    )
    assert submitted_in_113.academic_year == 113
    assert item(submitted_at=None, registered_at=datetime(2024, 7, 1, tzinfo=UTC)).academic_year == 112


def test_rule_versions_fall_back_to_the_latest_earlier_year():
    v110, v112 = RuleConfig(academic_year=110, reporting_window_months=3), RuleConfig(academic_year=112)
    assert config_for_year([v110, v112], 111) is v110
    assert config_for_year([v110, v112], 114) is v112
    assert config_for_year([v110, v112], 109) is DEFAULT_RULES


def test_rule_config_validation():
    with pytest.raises(Invalid):
        RuleConfig(reporting_window_months=0).validated()
    with pytest.raises(Invalid):
        RuleConfig(phash_threshold=64).validated()


def test_add_months_clamps_to_short_months():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)


def test_the_reviewable_queue_index_covers_exactly_the_reviewable_statuses():
    """The centre's default queue is served by a partial index; its predicate must not drift from the domain."""
    import re

    from review.adapters.orm import review_items
    from review.domain.statuses import REVIEWABLE

    [index] = [i for i in review_items.indexes if i.name == "ix_review_items_reviewable"]
    where = str(index.dialect_options["postgresql"]["where"])
    assert sorted(re.findall(r"'(\w+)'", where)) == sorted(REVIEWABLE)
