"""Dates, levels, scores and contact fields a student types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from certificates.domain.errors import FieldInvalid
from certificates.domain.registration import (
    LevelRule,
    check_email,
    check_level,
    check_phone,
    check_score,
    clean_text,
    parse_issued_on,
)

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    "raw, expected", [("2024-03-01", date(2024, 3, 1)), ("20240301", date(2024, 3, 1)), (" 2025-06-15 ", TODAY)]
)
def test_dates_iso_and_compact(raw, expected):
    assert parse_issued_on(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw, code",
    [
        ("2025-06-16", "future_date"),
        ("20991231", "future_date"),
        ("2024/03/01", "bad_date"),
        ("20240231", "bad_date"),
        ("", "required"),
        (None, "required"),
        ("1900-01-01", "bad_date"),
        ("2024-3-1", "bad_date"),
    ],
)
def test_bad_dates_name_the_field(raw, code):
    with pytest.raises(FieldInvalid) as caught:
        parse_issued_on(raw, today=TODAY)
    assert caught.value.field == "issued_on" and caught.value.code == code
    assert caught.value.as_body()["error"]["field"] == "issued_on"


GEPT_B1 = LevelRule(id="l1", entry_id="gept", name="中級")
TOEIC_GOLD = LevelRule(id="l2", entry_id="toeic", name="金色證書", min_score=Decimal(860), max_score=Decimal(990))


def test_level_must_belong_to_the_entry():
    check_level(GEPT_B1, entry_id="gept", entry_has_levels=True)
    with pytest.raises(FieldInvalid) as caught:
        check_level(GEPT_B1, entry_id="toeic", entry_has_levels=True)
    assert caught.value.field == "level_id" and caught.value.code == "level_mismatch"


def test_level_required_only_when_the_entry_has_levels():
    check_level(None, entry_id="x", entry_has_levels=False)
    with pytest.raises(FieldInvalid) as caught:
        check_level(None, entry_id="x", entry_has_levels=True)
    assert caught.value.field == "level_id"


def test_numeric_score_is_checked_against_the_level_range():
    check_score("900", TOEIC_GOLD)
    check_score("A 級", TOEIC_GOLD)  # free text is not checked
    check_score("500", GEPT_B1)  # no range on the level
    check_score(None, TOEIC_GOLD)
    with pytest.raises(FieldInvalid) as caught:
        check_score("700", TOEIC_GOLD)
    assert caught.value.field == "score" and "860" in caught.value.message


def test_contact_fields():
    assert check_email("a@b.tw") == "a@b.tw"
    assert check_email("s1100001+cert@mail.ksu.edu.tw") == "s1100001+cert@mail.ksu.edu.tw"
    for bad in (
        "",
        None,
        "nope",
        "a@b",
        "a b@c.tw",
        "s1100003@demo.certhub.tw,postmaster",
        "a@b.tw;c@d.tw",
        "王小明 <a@b.tw>",
        "<a@b.tw>",
        "a@b.tw\r\nBcc: c@d.tw",
        "a@b.tw\n",
        '"a,b"@c.tw',
        "a@b.tw c@d.tw",
        "a@-b.tw",
        "a@b..tw",
        "x" * 65 + "@b.tw",
    ):
        with pytest.raises(FieldInvalid):
            check_email(bad)
    assert check_phone("phone", "07-1234567#12") == "07-1234567#12"
    with pytest.raises(FieldInvalid):
        check_phone("mobile", "call me")


def test_text_is_trimmed_and_limited():
    assert clean_text("remarks", "  hi ") == "hi"
    assert clean_text("remarks", "   ") is None
    with pytest.raises(FieldInvalid) as caught:
        clean_text("certificate_no", "x" * 101)
    assert caught.value.field == "certificate_no"
