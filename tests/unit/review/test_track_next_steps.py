"""A track's next steps: the demo's verified track tells students to bring the original after
confirmation; a next step needs its zh-TW text, a known status and at most 300 characters a language."""

from __future__ import annotations

import pytest

from certhub_kit.errors import Invalid
from review.domain.tracks import NextStep, Track, TrackSetup, demo_setup, next_steps_json


def setup_with(**steps) -> TrackSetup:
    return TrackSetup(tracks={"simple": Track("simple", next_steps=steps)}, assignments=())


def test_the_demo_verified_track_asks_for_the_original_after_confirmation():
    verified = demo_setup().tracks["verified"]
    assert next_steps_json(verified)["submitted"]["zh"].startswith("請攜帶正本至電算中心掃描")
    assert next_steps_json(demo_setup().tracks["simple"]) == {}


def test_a_good_next_step_is_kept_in_both_languages():
    setup = setup_with(approved=NextStep("請至系辦領取證明", "Collect the letter at the office")).validated()
    assert next_steps_json(setup.tracks["simple"]) == {
        "approved": {"zh": "請至系辦領取證明", "en": "Collect the letter at the office"}
    }


@pytest.mark.parametrize(
    "steps",
    [
        {"paid": NextStep("x")},  # not a certificate status
        {"approved": NextStep("  ", "English only")},  # the zh-TW text is required
        {"approved": NextStep("x" * 301)},
        {"approved": NextStep("x", "y" * 301)},
    ],
)
def test_bad_next_steps_are_refused_in_both_languages(steps):
    with pytest.raises(Invalid) as refused:
        setup_with(**steps).validated()
    assert refused.value.code == "invalid_next_step"
