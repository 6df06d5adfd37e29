"""The MOE report's rules: terms, ROC dates, words for codes, counts by national code, uncoded apart."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certificates.domain.moe_report import (
    DEMO_DEPARTMENTS,
    TAIPEI,
    Term,
    counts_by_code,
    programme,
    report_row,
    roc_date,
    split_by_code,
    term_of,
)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 8, 1, tzinfo=TAIPEI), (113, 1)),
        (datetime(2025, 1, 31, 23, 59, tzinfo=TAIPEI), (113, 1)),
        (datetime(2025, 2, 1, tzinfo=TAIPEI), (113, 2)),
        (datetime(2025, 7, 31, 23, 59, tzinfo=TAIPEI), (113, 2)),
        (datetime(2024, 7, 31, 16, 30, tzinfo=UTC), (113, 1)),  # already August 1 in Taipei
        (datetime(2024, 7, 31, 15, 59, tzinfo=UTC), (112, 2)),
    ],
)
def test_term_of_reads_the_taipei_calendar(moment, expected):
    assert term_of(moment) == expected


def test_term_bounds_split_the_year_at_february():
    assert Term(113).bounds() == (datetime(2024, 8, 1, tzinfo=TAIPEI), datetime(2025, 8, 1, tzinfo=TAIPEI))
    assert Term(113, 1).bounds()[1] == datetime(2025, 2, 1, tzinfo=TAIPEI)
    assert Term(113, 2).bounds()[0] == datetime(2025, 2, 1, tzinfo=TAIPEI)


def test_roc_date_and_programme_in_words():
    assert roc_date(date(2024, 3, 1)) == "113/03/01"
    assert programme("day", "bachelor") == "日間部學士班"
    assert programme("night", "associate") == "進修部二技／專科"
    assert programme(None, "custom") == "custom"


def cert(code, name="多益測驗", **extra):
    base = {
        "submitted_at": datetime(2024, 9, 2, tzinfo=TAIPEI),
        "created_at": datetime(2024, 9, 1, tzinfo=TAIPEI),
        "dept": "IM",
        "klass": "IM3A",
        "division": "day",
        "program": "bachelor",
        "national_code": code,
        "entry_name": name,
        "issued_on": date(2024, 6, 1),
        "foreign": True,
        "category_name": "語文",
        "level_name": "金色證書",
        "entry_issuer": "ETS",
    }
    return {**base, **extra}


def test_report_row_has_the_ksu_columns_in_words():
    assert report_row(cert("T-0002"), DEMO_DEPARTMENTS) == [
        113,
        1,
        "資訊管理學系",
        "IM3A",
        "日間部學士班",
        "T-0002",
        "多益測驗",
        "113/06/01",
        "國外",
        "語文",
        "金色證書",
        "ETS",
    ]
    row = report_row(cert(None, dept="XX", foreign=False, submitted_at=None, level_name=None), DEMO_DEPARTMENTS)
    assert row[2] == "XX" and row[5] == "" and row[8] == "國內" and row[10] == ""


def test_counts_by_code_most_first_and_uncoded_apart():
    certs = [cert("B1", "乙"), cert("A1", "甲"), cert("B1", "乙"), cert(None, "無代號")]
    coded, uncoded = split_by_code(certs)
    assert [c["entry_name"] for c in uncoded] == ["無代號"]
    assert counts_by_code(coded) == [
        {"national_code": "B1", "name": "乙", "issuer": "ETS", "count": 2},
        {"national_code": "A1", "name": "甲", "issuer": "ETS", "count": 1},
    ]
