"""The Certificate entity: built from the repository's joined row, with the rules that read only it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from certificates.domain.certificate import FIELDS, Certificate

ENTRY, LEVEL = uuid.uuid4(), uuid.uuid4()


def row(**changes) -> dict:
    values = {
        "id": uuid.uuid4(),
        "student_id": "s1100001",
        "student_name": "王小明",
        "dept": "IM",
        "entry_id": ENTRY,
        "level_id": LEVEL,
        "score": "785",
        "certificate_no": "T-1",
        "issued_on": date(2024, 2, 29),
        "email": "s1100001@demo.certhub.tw",
        "status": "submitted",
        "scan_key": "k.jpg",
        "scan_content_type": "image/jpeg",
        "thumbnail_key": "k-t.jpg",
        "entry_key": "toeic-lr",
        "entry_name": "多益聽讀",
        "category": 1,
        "created_at": datetime(2024, 3, 1, tzinfo=UTC),
        "updated_at": datetime(2024, 3, 1, tzinfo=UTC),
        "entry_validity": {"kind": "years", "years": 2},
    }
    return values | changes


def test_a_joined_row_becomes_a_certificate_and_unknown_columns_are_left_out():
    cert = Certificate.from_row(row(search_text="ignored"))
    assert cert.entry_key == "toeic-lr" and cert.level_id == LEVEL and cert.version == 1
    assert "search_text" not in FIELDS


def test_a_row_missing_a_required_column_is_refused():
    values = row()
    del values["status"]
    with pytest.raises(TypeError):
        Certificate.from_row(values)


def test_expiry_follows_the_catalog_entry_and_never_without_one():
    assert Certificate.from_row(row()).expires_on == date(2026, 2, 28)  # 29 February + 2 years
    assert Certificate.from_row(row(entry_validity=None)).expires_on is None


@pytest.mark.parametrize(("status", "editable"), [("draft", True), ("rejected", True), ("approved", False)])
def test_editable_until_approved(status, editable):
    assert Certificate.from_row(row(status=status)).editable is editable


def test_verified_changes_are_the_verified_fields_an_edit_really_changes():
    cert = Certificate.from_row(row())
    assert cert.verified_changes({"score": "785", "remarks": "new"}, new_scan=False) == []
    assert cert.verified_changes({"certificate_no": "T-2", "level_id": LEVEL}, new_scan=True) == [
        "certificate_no",
        "scan",
    ]
