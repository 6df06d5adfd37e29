"""What the admin's catalog forms rely on: a request is accepted only with a category, the CSV import's
template (header and example row) imports as documented, and entries are read back by key to show names."""

from __future__ import annotations

import csv
import io

ISOLATION = "certforms"


async def test_accepting_a_request_without_a_category_is_refused_and_changes_nothing(service):
    async with service.as_user("s1100003") as student:
        request = (
            await student.post(
                "/api/catalog/requests",
                json={"name": "日本語能力試驗", "issuer": "日本國際交流基金會", "level_name": "N2"},
            )
        ).json()
    async with service.as_user("admin") as admin:
        for body in (None, {}, {"name": "日本語能力試驗 JLPT"}):
            answer = await admin.post(
                f"/api/catalog/requests/{request['id']}/accept", **({"json": body} if body is not None else {})
            )
            assert answer.status_code == 422, answer.text
            error = answer.json()["error"]
            assert "category" in error["message_en"] and ("類別" in error["message"] or "category" in error["message"])
            assert error["code"] == ("required" if body is None else "invalid")  # the schema requires it too
        pending = (await admin.get("/api/catalog/requests", params={"status": "pending"})).json()["items"]
        assert request["id"] in {r["id"] for r in pending}
        accepted = await admin.post(f"/api/catalog/requests/{request['id']}/accept", json={"category": 1})
        assert accepted.status_code == 200 and accepted.json()["entry"]["category"] == 1


async def test_the_import_template_is_admin_only_and_imports_as_documented(service):
    for who in ("s1100001", "rev-im", "center"):
        async with service.as_user(who) as someone:
            assert (await someone.get("/api/catalog/import/template.csv")).status_code == 403
    async with service.clients.anonymous() as nobody:
        assert (await nobody.get("/api/catalog/import/template.csv")).status_code == 401
    async with service.as_user("admin") as admin:
        answer = await admin.get("/api/catalog/import/template.csv")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert "attachment" in answer.headers["content-disposition"]
        assert answer.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese headers as UTF-8
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert rows[0][:5] == ["證照代號", "證照名稱", "英文名稱", "發照單位", "證照類別"] and len(rows) == 2
        imported = await admin.post("/api/catalog/import", files={"file": ("t.csv", answer.content, "text/csv")})
        assert imported.status_code == 200, imported.text
        found = (await admin.get("/api/catalog", params={"q": "範例"})).json()["items"]
    example = next(e for e in found if e["national_code"] == "EX-0001")
    assert example["category"] == 3 and example["it_certificate"] is True and example["bundle"] == "TQC"
    assert [lv["name"] for lv in example["levels"]] == ["實用級", "進階級"]


async def test_entries_are_read_back_by_key(service):
    async with service.as_user("admin") as admin:
        answer = await admin.get(
            "/api/catalog/entries",
            params=[("key", "gept"), ("key", "tech-software"), ("key", "no-such-key"), ("key", "gept")],
        )
        assert answer.status_code == 200
        assert [e["key"] for e in answer.json()["items"]] == ["gept", "tech-software"]
        assert answer.json()["items"][0]["name"] == "全民英語能力分級檢定測驗"
        assert (await admin.get("/api/catalog/entries")).json() == {"items": []}
        too_many = await admin.get("/api/catalog/entries", params=[("key", f"k{i}") for i in range(201)])
        assert too_many.status_code == 422
    async with service.clients.anonymous() as nobody:
        assert (await nobody.get("/api/catalog/entries", params={"key": "gept"})).status_code == 401


async def test_odd_keys_are_a_4xx_or_nothing_found(service):
    async with service.as_user("s1100001") as student:
        for key in ("\x00", "x" * 81, "全民英檢", "' OR 1=1 --"):
            answer = await student.get("/api/catalog/entries", params={"key": key})
            assert answer.status_code in (200, 422), (key, answer.status_code)
            if answer.status_code == 200:
                assert answer.json() == {"items": []}
