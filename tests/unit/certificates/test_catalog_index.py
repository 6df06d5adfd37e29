"""The in-memory catalog's matching and ranking (the SQL query's semantics), without a database."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from certificates.adapters.catalog_index import CatalogIndexBuilder, EntryRow, LevelRow, TermForms
from certificates.domain.catalog import search_term
from certificates.domain.errors import FieldInvalid


def row(key, name, *, name_en=None, issuer="發照單位", category=1, code=None, active=True, code_order=0):
    text = f"{name} {name_en or ''} {issuer} {code or ''}".lower()
    lowered = tuple(v.lower() if v else None for v in (name, name_en, code))
    uppered = tuple(v.upper() if v else None for v in (code, name, name_en))
    return EntryRow(
        uuid.uuid4(),
        key,
        name,
        name_en,
        issuer,
        category,
        False,
        code,
        True,
        None,
        active,
        text,
        lowered,
        uppered,
        code_order,
    )


def index_of(*rows, levels=None):
    """Rows are given in position order (as PostgreSQL's ORDER BY category, name, id would give them)."""
    builder = CatalogIndexBuilder()
    for r in rows:
        builder.add_entry(r)
        for level in (levels or {}).get(r.key, []):
            builder.add_level(level)
    return builder.build()


def keys(index, text, *, category=None, include_inactive=False, limit=20, offset=0):
    term = TermForms.of(text, text.lower(), len(text) < 2) if text else None
    return [
        e["key"]
        for e in index.search(term, category=category, include_inactive=include_inactive, limit=limit, offset=offset)
    ]


def test_ranks_exact_prefix_name_code_then_other_fields():
    index = index_of(
        row("issuer-only", "甲", issuer="Excel 學會"),
        row("code-inside", "乙", code="X-EXCEL-1"),
        row("name-inside", "進階 Excel 應用"),
        row("en-inside", "丙", name_en="Advanced excel"),
        row("prefix-long", "Excel 專家級認證"),
        row("prefix", "EXCEL 入門"),
        row("code-prefix", "丁", code="excel-9"),
        row("exact", "excel"),
        row("exact-en", "戊", name_en="EXCEL"),
    )
    # within a rank, shorter names first ("戊" before "excel")
    assert keys(index, "Excel") == [
        "exact-en",
        "exact",
        "code-prefix",
        "prefix",
        "prefix-long",
        "en-inside",
        "name-inside",
        "code-inside",
        "issuer-only",
    ]


def test_ties_break_by_name_length_then_position():
    index = index_of(row("b", "資訊管理"), row("a", "資訊管理師"), row("c", "資訊管理"), row("d", "電腦資訊"))
    assert keys(index, "資訊") == ["b", "c", "a", "d"]
    assert keys(index, "資訊", limit=2, offset=1) == ["c", "a"]


def test_one_character_searches_codes_by_prefix_in_code_order():
    index = index_of(
        row("b2", "x", code="B200", code_order=2),
        row("b1", "y", code="b100", code_order=1),
        row("a", "B 開頭的名稱", code="A1", code_order=0),
        row("none", "z", code_order=3),
    )
    assert keys(index, "b") == ["b1", "b2"]
    assert keys(index, "B") == ["b1", "b2"]
    assert keys(index, "Z") == []


def test_filters_inactive_and_category_and_browses_in_position_order():
    index = index_of(
        row("one", "資訊一", category=1),
        row("off", "資訊二", category=1, active=False),
        row("three", "資訊三", category=3),
    )
    assert keys(index, "資訊") == ["one", "three"]
    assert keys(index, "資訊", include_inactive=True) == ["one", "off", "three"]
    assert keys(index, "資訊", category=3) == ["three"]
    assert keys(index, "") == ["one", "three"]
    assert keys(index, "", category=1, include_inactive=True) == ["one", "off"]


def test_wildcards_are_literal_and_answers_carry_levels():
    index = index_of(
        row("pct", "100% 達人", name_en=None),
        row("any", "1000 達人"),
        levels={"pct": [LevelRow(uuid.uuid4(), "初級", None, "A2", Decimal("60.50"), None)]},
    )
    assert keys(index, "0%") == ["pct"]
    assert keys(index, "_") == []
    entry = index.search(TermForms.of("0%", "0%", False), category=None, include_inactive=False, limit=5, offset=0)[0]
    assert entry["name_en"] is None and entry["national_code"] is None and entry["active"] is True
    assert [(lv["name"], lv["cefr"], lv["min_score"], lv["max_score"]) for lv in entry["levels"]] == [
        ("初級", "A2", Decimal("60.50"), None)
    ]


def test_a_nul_character_is_refused_before_any_search():
    with pytest.raises(FieldInvalid):
        search_term("資\x00訊")
