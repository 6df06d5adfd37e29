"""GET /api/certificates/reports/moe against real PostgreSQL: terms, statuses, counts, uncoded apart,
CSV with BOM, XLSX sheets, who may read it, and clear 4xx for bad queries."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import text

from certificates.domain.moe_report import TAIPEI

from .support import register

ISOLATION = "moereport"
PATH = "/api/certificates/reports/moe"


async def passed(service, cert_id: str, status: str, submitted: datetime) -> None:
    """The state review would have left (its decisions are tested in the review suites)."""
    async with service.runtime.db.engine.begin() as conn:
        await conn.execute(
            text("UPDATE certificates SET status = :s, submitted_at = :t WHERE id = :id"),
            {"s": status, "t": submitted, "id": cert_id},
        )


async def new_certificate(
    service, user: str, entry: str, level: str | None, status: str, submitted: datetime, **claims
) -> str:
    async with service.as_user(user, **claims) as client:
        answer = await register(client, service, entry=entry, level=level)
    assert answer.status_code == 201, answer.text
    cert_id = answer.json()["id"]
    await passed(service, cert_id, status, submitted)
    return cert_id


async def uncoded_entry(service) -> str:
    async with service.as_user("admin") as client:
        answer = await client.post("/api/catalog", json={"name": "校內自辦證照", "issuer": "本校推廣部", "category": 5})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_report_lists_passed_certificates_of_the_term_with_counts_and_uncoded_apart(service):
    first = datetime(2024, 9, 10, 10, tzinfo=TAIPEI)
    second = datetime(2025, 3, 10, 10, tzinfo=TAIPEI)
    gept = await new_certificate(service, "s1100001", "gept", "中級", "approved", first)
    toeic = await new_certificate(service, "s1100002", "toeic", "金色證書", "recorded", first)
    again = await new_certificate(service, "s1100003", "gept", "初級", "credit_pending", second)
    await new_certificate(service, "s1100001", "toeic", "藍色證書", "rejected", first)  # not passed
    await new_certificate(service, "s1100001", "gept", "初級", "approved", datetime(2025, 8, 1, tzinfo=TAIPEI))
    service.entries["local"] = {"id": await uncoded_entry(service), "levels": {}}
    local = await new_certificate(service, "s1100002", "local", None, "approved", second)

    async with service.as_user("center") as client:
        year = (await client.get(PATH, params={"year": "113"})).json()
        autumn = (await client.get(PATH, params={"year": "113", "semester": "1"})).json()
    assert {r["certificate_id"] for r in year["rows"]} == {gept, toeic, again}
    assert [r["certificate_id"] for r in year["uncoded"]] == [local]
    assert year["counts"] == [
        {
            "national_code": "T-0001",
            "name": "全民英語能力分級檢定測驗",
            "issuer": "財團法人語言訓練測驗中心",
            "count": 2,
        },
        {"national_code": "T-0002", "name": "多益測驗", "issuer": "美國教育測驗服務社(ETS)", "count": 1},
    ]
    row = next(r["cells"] for r in year["rows"] if r["certificate_id"] == toeic)
    assert (
        row
        == [
            113,
            1,
            "資訊管理學系",
            "IM3A",
            "日間部學士班",
            "T-0002",
            "多益測驗",
            "113/03/01",
            "國外",
            row[9],
            "金色證書",
            "美國教育測驗服務社(ETS)",
        ]
        and row[9]
    )
    assert year["columns"][0] == "申請年度" and len(year["columns"]) == 12
    assert {r["certificate_id"] for r in autumn["rows"]} == {gept, toeic} and autumn["uncoded"] == []


async def test_csv_has_a_bom_and_three_sections_and_xlsx_three_sheets(service):
    async with service.as_user("admin") as client:
        as_csv = await client.get(PATH, params={"year": "113", "format": "csv"})
        as_xlsx = await client.get(PATH, params={"year": "113", "format": "xlsx"})
    assert as_csv.status_code == 200 and as_csv.content.startswith(b"\xef\xbb\xbf")
    assert "moe-certificates-113.csv" in as_csv.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["申請年度", "學期", "系所"]
    assert ["技專代號統計"] in lines and ["無技專代號（請先補齊證照代號）"] in lines
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["證照明細", "技專代號統計", "無技專代號"]
    assert book["技專代號統計"]["A1"].value == "技專代號" and book["無技專代號"].max_row >= 2


async def test_only_the_centre_and_admins_read_it(service):
    for user in ("s1100001", "rev-im"):
        async with service.as_user(user) as client:
            answer = await client.get(PATH, params={"year": "113"})
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden_role"
    async with service.clients.anonymous() as client:
        assert (await client.get(PATH, params={"year": "113"})).status_code == 401


async def test_bad_queries_are_clear_422s(service):
    async with service.as_user("center") as client:
        for params in (
            {},
            {"year": "abc"},
            {"year": "9999"},
            {"year": "１１３"},
            {"year": "²"},
            {"year": "113", "semester": "3"},
            {"year": "113", "format": "pdf"},
        ):
            answer = await client.get(PATH, params=params)
            assert answer.status_code == 422, (params, answer.text)
            body = answer.json()["error"]
            assert body["code"] == "invalid" and body["message"] and body["message_en"]
