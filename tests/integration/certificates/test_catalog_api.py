"""Catalog search (Chinese substrings, ranking, short codes), admin management, CSV import, requests, demo data."""

from __future__ import annotations

from sqlalchemy import func, select, text

from certificates.adapters.demo_catalog import DEMO_CATALOG, load_demo_catalog
from certificates.adapters.tables import catalog_entries

from .support import outbox_events

ISOLATION = "certcat"


async def search(service, who="s1100001", **params) -> dict:
    async with service.as_user(who) as client:
        answer = await client.get("/api/catalog", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_chinese_substring_search_with_levels(service):
    found = (await search(service, q="英語能力"))["items"]
    assert [e["key"] for e in found] == ["gept"]
    gept = found[0]
    assert {
        "id",
        "name",
        "name_en",
        "issuer",
        "category",
        "foreign",
        "national_code",
        "it_certificate",
        "bundle",
        "levels",
    } <= set(gept)
    assert [(lv["name"], lv["cefr"]) for lv in gept["levels"]] == [("初級", "A2"), ("中級", "B1")]
    assert [e["key"] for e in (await search(service, q="技能檢定"))["items"]] == ["tech-software"]  # issuer
    assert [e["key"] for e in (await search(service, q="ＴＯＥＩＣ"))["items"]] == ["toeic"]  # full-width, name_en
    toeic = (await search(service, q="多益"))["items"][0]
    assert toeic["levels"][0]["min_score"] == 860


async def test_exact_and_prefix_matches_rank_first(service):
    ranked = [e["key"] for e in (await search(service, q="TQC"))["items"]]
    assert ranked[0] == "tqc-excel"
    assert [e["key"] for e in (await search(service, q="A123"))["items"]][0] == "tqc-excel"  # exact code
    one = [e["key"] for e in (await search(service, q="B"))["items"]]
    assert one == ["mos-word"]  # 1 character: codes only, by prefix
    assert [e["key"] for e in (await search(service, q="1"))["items"]] == ["tech-software"]
    assert (await search(service, q="%"))["items"] == []  # LIKE wildcards are literal


async def test_category_filter_paging_and_categories(service):
    it = (await search(service, category=3))["items"]
    assert {e["key"] for e in it} == {"tqc-excel", "mos-word"}
    page = await search(service, limit=2)
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = await search(service, limit=100, cursor=page["next_cursor"])
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    async with service.as_user("s1100001") as client:
        cats = (await client.get("/api/catalog/categories")).json()["items"]
        assert [c["code"] for c in cats] == [1, 2, 3, 4, 5] and cats[2]["name"] == "資訊"
        refused = await client.get("/api/catalog", params={"cursor": "zzz"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_cursor"
        assert (await client.get("/api/catalog", params={"q": "x" * 101})).status_code == 422
        assert (await client.get(f"/api/catalog/{service.entry('gept')}")).json()["key"] == "gept"


async def test_admin_creates_updates_and_deactivates(service):
    async with service.as_user("admin") as admin:
        created = await admin.post(
            "/api/catalog",
            json={
                "name": "日本語能力試驗",
                "issuer": "日本國際交流基金會",
                "category": 2,
                "foreign": True,
                "national_code": "J-100",
                "levels": [{"name": "N1", "cefr": "c1"}, {"name": "N2", "cefr": "B2"}],
            },
        )
        assert created.status_code == 201, created.text
        entry = created.json()
        assert entry["key"] == "code-j-100" and entry["levels"][0]["cefr"] == "C1"
        dup = await admin.post(
            "/api/catalog", json={"name": "x", "issuer": "y", "category": 2, "national_code": "J-100"}
        )
        assert dup.status_code == 409 and dup.json()["error"]["code"] == "duplicate_code"
        bad = await admin.post("/api/catalog", json={"name": "x", "issuer": "y", "category": 42})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "category"
        n1 = entry["levels"][0]["id"]
        patched = await admin.patch(
            f"/api/catalog/{entry['id']}",
            json={
                "name_en": "JLPT",
                "levels": [
                    {"id": n1, "name": "N1", "cefr": "C1", "min_score": 100, "max_score": 180},
                    {"name": "N3", "cefr": "B1"},
                ],
            },
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["name_en"] == "JLPT" and [lv["name"] for lv in patched.json()["levels"]] == [
            "N1",
            "N2",
            "N3",
        ]
        assert (await admin.patch(f"/api/catalog/{entry['id']}", json={"name": None})).status_code == 422
        off = await admin.patch(f"/api/catalog/{entry['id']}", json={"active": False})
        assert off.json()["active"] is False
    assert (await search(service, q="日本語"))["items"] == []
    assert [e["key"] for e in (await search(service, who="admin", q="日本語", include_inactive=True))["items"]] == [
        "code-j-100"
    ]
    async with service.as_user("s1100001") as client:
        assert (await client.get(f"/api/catalog/{entry['id']}")).status_code == 404
        answer = await client.post(
            "/api/certificates",
            data={"entry_id": entry["id"], "issued_on": "2024-01-01", "email": "a@b.tw"},
            files={"scan": ("s.jpg", b"\xff\xd8\xff", "image/jpeg")},
        )
        assert answer.status_code == 422
    async with service.as_user("admin") as admin:
        assert (await admin.patch("/api/catalog/not-an-id", json={"active": True})).status_code == 404


CSV = (
    "證照代號,證照名稱,發照單位,證照類別,國內外,資訊證照,等級\n"
    "N-001,網頁設計乙級技術士,勞動部,專業技術,國內,Y,乙級\n"
    "N-002,會計事務丙級技術士,勞動部,4,國內,N,丙級\n"
).encode()


async def count_entries(service) -> int:
    async with service.runtime.db.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(catalog_entries))


async def test_csv_import_is_idempotent_and_all_or_nothing(service):
    async with service.as_user("admin") as admin:
        first = await admin.post("/api/catalog/import", files={"file": ("codes.csv", CSV, "text/csv")})
        assert first.status_code == 200, first.text
        assert first.json() == {"created": 2, "updated": 0, "unchanged": 0, "rows": 2}
        total = await count_entries(service)
        again = await admin.post("/api/catalog/import", content=CSV, headers={"content-type": "text/csv"})
        assert again.json() == {"created": 0, "updated": 0, "unchanged": 2, "rows": 2}
        assert await count_entries(service) == total
        changed = CSV.replace(
            b"\xe4\xb9\x99\xe7\xb4\x9a\n", b"\xe4\xb9\x99\xe7\xb4\x9a|\xe7\x94\xb2\xe7\xb4\x9a\n"
        )  # + 甲級
        assert (await admin.post("/api/catalog/import", content=changed)).json()["updated"] == 1
        bad = CSV + "N-003,新證照,勞動部,4,國內,N,\nN-004,,勞動部,4,國內,N,\n".encode()
        answer = await admin.post("/api/catalog/import", content=bad)
        assert answer.status_code == 422
        error = answer.json()["error"]
        assert error["line"] == 5 and "第 5 行" in error["message"] and "Line 5" in error["message_en"]
        assert await count_entries(service) == total  # N-003 on line 4 was not applied
    assert [e["national_code"] for e in (await search(service, q="網頁設計"))["items"]] == ["N-001"]


async def test_catalog_requests_accept_and_decline(service):
    async with service.as_user("s1100001") as student:
        filed = await student.post(
            "/api/catalog/requests",
            json={"name": "韓國語文能力測驗", "issuer": "韓國國立國際教育院", "level_name": "6級", "note": "TOPIK"},
        )
        assert filed.status_code == 201, filed.text
        request = filed.json()
        assert request["status"] == "pending" and request["student_id"] == "s1100001"
        other = (await student.post("/api/catalog/requests", json={"name": "某證照"})).json()
        assert (await student.post("/api/catalog/requests", json={"name": " "})).status_code == 422
        mine = (await student.get("/api/catalog/requests")).json()["items"]
        assert {r["id"] for r in mine} == {request["id"], other["id"]}
    async with service.as_user("s1100002") as someone:
        assert (await someone.get("/api/catalog/requests")).json()["items"] == []
        assert (await someone.post(f"/api/catalog/requests/{request['id']}/accept")).status_code == 403
    async with service.as_user("admin") as admin:
        assert len((await admin.get("/api/catalog/requests", params={"status": "pending"})).json()["items"]) >= 2
        accepted = await admin.post(
            f"/api/catalog/requests/{request['id']}/accept", json={"category": 2, "foreign": True}
        )
        assert accepted.status_code == 200, accepted.text
        body = accepted.json()
        assert body["status"] == "accepted" and body["entry"]["name"] == "韓國語文能力測驗"
        assert [lv["name"] for lv in body["entry"]["levels"]] == ["6級"] and body["entry"]["category"] == 2
        again = await admin.post(f"/api/catalog/requests/{request['id']}/decline", json={"reason": "x"})
        assert again.status_code == 409
        assert (await admin.post(f"/api/catalog/requests/{other['id']}/decline", json={})).status_code == 422
        declined = await admin.post(f"/api/catalog/requests/{other['id']}/decline", json={"reason": "已有相同證照"})
        assert declined.json()["status"] == "declined" and declined.json()["reason"] == "已有相同證照"
        assert (await admin.post("/api/catalog/requests/nope/accept")).status_code == 404
    filed_events = [
        e for e in await outbox_events(service.runtime, "catalog.request_filed.v1") if e["subject"] == request["id"]
    ]
    assert filed_events[0]["data"]["student"]["id"] == "s1100001"
    answered = {e["subject"]: e["data"] for e in await outbox_events(service.runtime, "catalog.request_answered.v1")}
    assert answered[request["id"]]["accepted"] is True and answered[request["id"]]["entry_id"] == body["entry"]["id"]
    assert answered[other["id"]]["accepted"] is False and answered[other["id"]]["reason"] == "已有相同證照"


async def test_demo_catalog_loads_idempotently(service):
    assert DEMO_CATALOG.exists(), f"{DEMO_CATALOG} is missing: the standalone's demo catalog comes from it"
    before = await count_entries(service)
    service.settings.demo_data = True
    try:
        await load_demo_catalog(service.runtime)
        loaded = await count_entries(service)
        await load_demo_catalog(service.runtime)
        assert await count_entries(service) == loaded
    finally:
        service.settings.demo_data = False
    assert loaded - before >= 50
    assert (await search(service, q="多益測驗"))["items"]
    jlpt = (await search(service, q="日語能力"))["items"] or (await search(service, q="JLPT"))["items"]
    assert jlpt and jlpt[0]["levels"]
    async with service.runtime.db.engine.connect() as conn:
        gept_levels = (
            await conn.execute(
                text(
                    "SELECT l.name, l.cefr FROM catalog_levels l JOIN catalog_entries e ON e.id = l.entry_id "
                    "WHERE e.key = 'gept' ORDER BY l.position"
                )
            )
        ).all()
    assert ("中高級", "B2") in [tuple(r) for r in gept_levels]
