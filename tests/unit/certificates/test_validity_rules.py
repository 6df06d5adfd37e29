"""Catalog validity and a certificate's expiry date (never / N years from the issue date / a fixed date)."""

from __future__ import annotations

from datetime import date

import pytest

from certificates.domain import validity
from certificates.domain.errors import FieldInvalid


def test_expiry_dates():
    issued = date(2024, 2, 29)
    assert validity.expires_on(None, issued) is None
    assert validity.expires_on({"kind": "years", "years": 2}, date(2024, 3, 1)) == date(2026, 3, 1)
    assert validity.expires_on({"kind": "years", "years": 1}, issued) == date(2025, 2, 28)
    assert validity.expires_on({"kind": "until", "date": "2027-12-31"}, issued) == date(2027, 12, 31)


def test_expired_is_after_the_last_day():
    assert not validity.is_expired(date(2025, 1, 1), date(2025, 1, 1))
    assert validity.is_expired(date(2025, 1, 1), date(2025, 1, 2))
    assert not validity.is_expired(None, date(2999, 1, 1))


def test_what_admins_send_is_checked_and_stored_short():
    assert validity.check_validity({"kind": "never"}) is None
    assert validity.check_validity({"kind": "years", "years": 3}) == {"kind": "years", "years": 3}
    assert validity.check_validity({"kind": "until", "date": "2030-01-01"}) == {"kind": "until", "date": "2030-01-01"}
    assert validity.shown(None) == {"kind": "never"}


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "soon"},
        {"kind": "years"},
        {"kind": "years", "years": 0},
        {"kind": "years", "years": True},
        {"kind": "until", "date": "2030-13-01"},
        {"kind": "years", "years": 2, "date": "2030-01-01"},
        "2y",
    ],
)
def test_bad_validity_is_a_422_naming_the_field(raw):
    with pytest.raises(FieldInvalid) as caught:
        validity.check_validity(raw)
    assert caught.value.field == "validity" and caught.value.message_en


def test_the_catalog_csv_column():
    assert validity.parse_import("") is None and validity.parse_import("永久") is None
    assert validity.parse_import("2y") == {"kind": "years", "years": 2} == validity.parse_import("2年")
    assert validity.parse_import("2030-06-30") == {"kind": "until", "date": "2030-06-30"}
    assert validity.export_text({"kind": "years", "years": 2}) == "2y" and validity.export_text(None) == "never"
