"""The department registry (read by everyone signed in, kept by the admin, published as
department.changed.v1) and catalog aliases (the names people type, searched like names)."""

from __future__ import annotations

from .support import outbox_events

ISOLATION = "certdept"


async def departments(service, who="s1100001", **params) -> list[dict]:
    async with service.as_user(who) as client:
        answer = await client.get("/api/certificates/departments", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def test_everyone_signed_in_reads_the_demo_registry_in_order(service):
    items = await departments(service)
    by_code = {d["code"]: d for d in items}
    assert [d["code"] for d in items][:2] == ["IM", "EE"]
    assert by_code["IM"]["name"] == "資訊管理學系"
    assert by_code["IM"]["name_en"] == "Department of Information Management"
    assert by_code["EE"]["name"] == "電機工程學系" and all(d["active"] for d in items)
    async with service.clients.anonymous() as nobody:
        assert (await nobody.get("/api/certificates/departments")).status_code == 401


async def test_admin_adds_renames_and_deactivates_and_each_change_is_published(service):
    async with service.as_user("admin") as admin:
        made = await admin.put(
            "/api/certificates/departments/fin", json={"name": "財務金融學系", "name_en": "Department of Finance"}
        )
        assert made.status_code == 200, made.text
        assert made.json()["code"] == "FIN" and made.json()["active"] is True
        renamed = await admin.put("/api/certificates/departments/FIN", json={"name": "  財務金融系 ", "active": False})
        assert renamed.json()["name"] == "財務金融系" and renamed.json()["active"] is False
        same = await admin.put("/api/certificates/departments/FIN", json={"name": "財務金融系", "active": False})
        assert same.status_code == 200
    events = [e for e in await outbox_events(service.runtime, "department.changed.v1") if e["subject"] == "FIN"]
    assert [(e["data"]["name"], e["data"]["active"]) for e in events] == [("財務金融學系", True), ("財務金融系", False)]
    assert "FIN" not in {d["code"] for d in await departments(service)}
    assert "FIN" not in {d["code"] for d in await departments(service, "s1100001", all=1)}  # only the admin sees all
    assert {"code": "FIN", "name": "財務金融系", "name_en": None, "active": False, "position": 7} in await departments(
        service, "admin", all=1
    )


async def test_only_the_admin_changes_it_and_bad_input_is_a_clear_422(service):
    for who in ("s1100001", "rev-im", "center"):
        async with service.as_user(who) as client:
            refused = await client.put("/api/certificates/departments/IM", json={"name": "改名"})
            assert refused.status_code == 403, who
    assert {d["code"]: d["name"] for d in await departments(service)}["IM"] == "資訊管理學系"
    async with service.as_user("admin") as admin:
        for code, body in (("IM", {"name": "   "}), ("IM", {}), ("1X", {"name": "x"}), ("IM", {"name": "x", "y": 1})):
            answer = await admin.put(f"/api/certificates/departments/{code}", json=body)
            assert answer.status_code == 422, (code, body, answer.text)
            assert answer.json()["error"]["message"] and answer.json()["error"]["message_en"]


async def search(service, q: str, who="s1100001") -> list[str]:
    async with service.as_user(who) as client:
        answer = await client.get("/api/catalog", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [e["key"] for e in answer.json()["items"]]


async def test_aliases_are_searched_like_names_edited_and_imported(service):
    assert "gept" not in await search(service, "英檢")
    async with service.as_user("admin") as admin:
        patched = await admin.patch(
            f"/api/catalog/{service.entry('gept')}", json={"aliases": ["英檢", " 全民英檢", "英檢"]}
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["aliases"] == ["英檢", "全民英檢"]
    assert (await search(service, "英檢"))[0] == "gept"
    assert (await search(service, "全民英檢"))[0] == "gept"
    async with service.as_user("admin") as admin:
        csv = "national_code,name,issuer,category,aliases\nT-0002,多益測驗,美國教育測驗服務社(ETS),1,多益、TOEIC 多益\n"
        imported = await admin.post("/api/catalog/import", content=csv.encode(), headers={"content-type": "text/csv"})
        assert imported.status_code == 200 and imported.json()["updated"] == 1, imported.text
        toeic = (await admin.get(f"/api/catalog/{service.entry('toeic')}")).json()
        assert toeic["aliases"] == ["多益", "TOEIC 多益"]
        created = await admin.post(
            "/api/catalog", json={"name": "托福網路測驗", "issuer": "ETS", "category": 1, "aliases": ["托福"]}
        )
        assert created.status_code == 201, created.text
        bad = await admin.post(
            "/api/catalog/import",
            content=("national_code,name,issuer,category,aliases\nT-0009,x,y,1," + "長" * 51 + "\n").encode(),
        )
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "import_row_invalid"
    assert (await search(service, "托福"))[0] == created.json()["key"]
    assert "toeic" in await search(service, "TOEIC 多益")
