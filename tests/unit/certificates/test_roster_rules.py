"""Class roster rows: parsing (zh-TW/English headers, CSV/XLSX), each row's verdict, idempotent row keys."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from certificates.domain import roster
from certificates.domain.registration import LevelRule

TODAY = date(2025, 6, 1)
TOEIC = roster.EntryChoice(
    id="e-toeic",
    levels={
        "金色證書": LevelRule(
            id="l-gold", entry_id="e-toeic", name="金色證書", min_score=Decimal(860), max_score=Decimal(990)
        )
    },
)
PLAIN = roster.EntryChoice(id="e-plain", levels={})


def context(**overrides) -> roster.RosterContext:
    values = dict(
        entries={"T-0002": TOEIC, "toeic": TOEIC, "11800": PLAIN},
        may_include=lambda s: s != "s9999999",
        imported=frozenset(),
        registered=frozenset(),
        today=TODAY,
    )
    return roster.RosterContext(**{**values, **overrides})


def rows(*lines: str, header: str = "學號,證照,級別,分數,發證日期,證照字號") -> list[roster.RosterRow]:
    return roster.parse_roster(roster.read_table("\n".join([header, *lines]).encode(), "r.csv"))


def statuses(parsed, ctx=None) -> list[str]:
    return [v.status for v in roster.judge(parsed, ctx or context())]


def test_each_row_gets_its_own_verdict():
    parsed = rows(
        "s1100001,T-0002,金色證書,900,2024-03-01,A1",
        "s9999999,T-0002,金色證書,900,2024-03-01,A2",
        "s1100002,NOPE,,,2024-03-01,",
        "s1100002,toeic,銀色證書,900,2024-03-01,",
        "s1100002,toeic,金色證書,700,2024-03-01,",
        "s1100002,11800,,,2030-01-01,",
        "s1100002,11800,,,20240301,Z9",
        "s1100002,11800,,,2024-03-01,Z9",
        "x,11800,,,2024-03-01,",
    )
    assert statuses(parsed) == [
        "ok",
        "unknown_student",
        "unknown_entry",
        "unknown_level",
        "score_out_of_range",
        "bad_date",
        "ok",
        "duplicate",
        "unknown_student",
    ]
    assert [r.row for r in parsed] == list(range(2, 11))


def test_english_and_template_headers_are_read():
    english = rows(
        "s1100001,T-0002,金色證書,900,2024-03-01,A1", header="student_no,entry,level,score,issued_on,certificate_no"
    )
    template = rows("s1100001,T-0002,金色證書,900,2024-03-01,A1", header=",".join(roster.TEMPLATE_HEADER))
    assert statuses(english) == statuses(template) == ["ok"]


def test_a_reupload_is_known_by_its_row_keys_and_a_registered_number_is_a_duplicate():
    parsed = rows("s1100001,T-0002,金色證書,900,2024-03-01,A1", "s1100002,11800,,,2024-03-01,N2")
    first = roster.judge(parsed, context())
    again = context(imported=frozenset({first[0].key}), registered=frozenset({("s1100002", "e-plain", "N2")}))
    assert statuses(parsed, again) == ["exists", "duplicate"]
    assert first[0].key == roster.row_key("S1100001", "e-toeic", "l-gold", date(2024, 3, 1), "A1")


def test_xlsx_rosters_with_dates_and_numbers_as_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["student_no", "entry", "level", "score", "issued_on", "certificate_no"])
    sheet.append(["s1100001", "T-0002", "金色證書", 905, date(2024, 3, 1), "X1"])
    out = io.BytesIO()
    book.save(out)
    parsed = roster.parse_roster(roster.read_table(out.getvalue(), "roster.xlsx"))
    [verdict] = roster.judge(parsed, context())
    assert verdict.status == "ok" and verdict.score == "905" and verdict.issued_on == date(2024, 3, 1)


@pytest.mark.parametrize("content", [b"", b"name,score\nx,1\n", b"student_no,entry,issued_on\n", b"PK\x03\x04junk"])
def test_unreadable_files_are_a_422(content):
    with pytest.raises(roster.RosterInvalid) as caught:
        roster.parse_roster(roster.read_table(content, "x.csv"))
    assert caught.value.status == 422 and caught.value.message and caught.value.message_en


def test_every_status_has_both_messages():
    for status, (zh, en) in roster.MESSAGES.items():
        assert zh and en, status
