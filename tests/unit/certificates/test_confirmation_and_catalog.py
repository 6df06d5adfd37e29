"""Confirmation tokens and policy; catalog search terms and CSV import parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from certificates.domain.catalog import EntrySpec, check_entry, like_escape, search_term
from certificates.domain.catalog_import import ImportRowInvalid, parse_catalog_csv
from certificates.domain.confirmation import (
    TrackRule,
    confirmation_url,
    hash_token,
    issue_token,
    looks_like_token,
    needs_confirmation,
)
from certificates.domain.errors import FieldInvalid

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_token_is_random_and_only_its_hash_is_kept():
    a, b = issue_token(now=NOW, ttl=timedelta(days=7)), issue_token(now=NOW, ttl=timedelta(days=7))
    assert a.token != b.token and len(a.token) >= 43  # 256 bits
    assert a.token_hash == hash_token(a.token) and a.token not in a.token_hash
    assert a.expires_at == NOW + timedelta(days=7)
    assert looks_like_token(a.token) and not looks_like_token("../../x") and not looks_like_token("short")


def test_confirmation_url_comes_from_configuration():
    assert confirmation_url("https://certhub.example.edu/", "tok") == "https://certhub.example.edu/api/confirm/tok"


def test_which_tracks_need_confirmation():
    rules = [TrackRule(3, None, True), TrackRule(3, "EE", False), TrackRule(1, None, False)]
    assert needs_confirmation(3, "IM", rules, [3])
    assert not needs_confirmation(3, "EE", rules, [3])  # department override wins
    assert not needs_confirmation(4, "IM", rules, [4])  # tracks known: unlisted → no confirmation
    assert needs_confirmation(3, "IM", [], [3])  # nothing known yet → configured default
    assert not needs_confirmation(1, "IM", [], [3])


def test_search_terms_fold_full_width_and_allow_short_codes():
    assert search_term("  ＴＱＣ ").text == "TQC"
    assert search_term("A").codes_only and not search_term("多益").codes_only
    assert search_term("   ") is None
    with pytest.raises(FieldInvalid):
        search_term("x" * 101)
    assert like_escape("100%_a\\") == "100\\%\\_a\\\\"


def test_entry_checks():
    entry = check_entry(EntrySpec(key="k1", name=" 多益 ", issuer="ETS", category=1, bundle=" tqc "), {1, 2})
    assert entry.name == "多益" and entry.bundle == "TQC"
    with pytest.raises(FieldInvalid) as caught:
        check_entry(EntrySpec(key="k1", name="x", issuer="y", category=9), {1})
    assert caught.value.field == "category"


CATEGORIES = {"1": 1, "3": 3, "英語": 1, "資訊": 3}


def test_csv_with_chinese_headers_and_levels():
    data = (
        "證照代號,證照名稱,發照單位,證照類別,國內外,資訊證照,等級\n"
        "A001,全民英檢,語言訓練測驗中心,英語,國內,N,初級:A2|中級:B1\n"
        "B002,多益,ETS,1,國外,N,金色證書:B2:860-990\n"
    ).encode()
    entries = parse_catalog_csv(data, CATEGORIES)
    assert [e.national_code for e in entries] == ["A001", "B002"]
    assert entries[0].category == 1 and not entries[0].foreign and entries[1].foreign
    assert [(lv.name, lv.cefr) for lv in entries[0].levels] == [("初級", "A2"), ("中級", "B1")]
    assert entries[1].levels[0].min_score == 860


def test_big5_csv_is_accepted():
    data = "national_code,name,issuer,category\nC1,電腦軟體應用,勞動部,資訊\n".encode("cp950")
    assert parse_catalog_csv(data, CATEGORIES)[0].name == "電腦軟體應用"


@pytest.mark.parametrize(
    "body, line",
    [
        ("A1,ok,issuer,1\nA2,,issuer,1\n", 3),  # empty name on line 3
        ("A1,ok,issuer,1\nA2,ok,issuer,99\n", 3),  # unknown category
        ("A1,ok,issuer,1\nA1,again,issuer,1\n", 3),  # duplicate code
        ("A1,ok,issuer,1,maybe\n", 2),  # unclear flag
    ],
)
def test_bad_rows_are_reported_by_line(body, line):
    header = "national_code,name,issuer,category" + (",foreign" if "maybe" in body else "") + "\n"
    with pytest.raises(ImportRowInvalid) as caught:
        parse_catalog_csv((header + body).encode(), CATEGORIES)
    assert caught.value.line == line and caught.value.as_body()["error"]["line"] == line
    assert f"第 {line} 行" in caught.value.message


def test_missing_columns_and_empty_files():
    with pytest.raises(ImportRowInvalid) as caught:
        parse_catalog_csv(b"name,issuer\nx,y\n", CATEGORIES)
    assert caught.value.line == 1
    with pytest.raises(ImportRowInvalid):
        parse_catalog_csv(b"", CATEGORIES)


def test_resends_wait_for_the_certificate_interval_and_the_students_hour():
    from datetime import UTC, datetime, timedelta

    from certificates.domain.confirmation import ResendLimits, resend_wait

    now, limits = datetime(2026, 4, 1, 10, 0, tzinfo=UTC), ResendLimits(interval_s=60, per_hour=5)
    assert resend_wait(now, None, [], limits) is None
    assert resend_wait(now, now - timedelta(seconds=61), [], limits) is None
    wait = resend_wait(now, now - timedelta(seconds=15), [], limits)
    assert wait.seconds == 45 and not wait.per_student
    five = [now - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    wait = resend_wait(now, now - timedelta(minutes=10), five, limits)
    assert wait.per_student and wait.seconds == 600  # the resend of 50 minutes ago leaves the hour in 10
    assert resend_wait(now, now - timedelta(minutes=10), five[1:] + [now - timedelta(minutes=61)], limits) is None
