"""Every way the catalog changes is seen by the very next search: the API (create, PATCH, CSV import),
plain SQL and COPY, and another replica's writes (two app instances on one database)."""

from __future__ import annotations

import uuid

import asyncpg

from certificates.bootstrap import create_app
from tests.support.apps import Clients, running

ISOLATION = "certcatinv"


async def keys(client, q: str) -> list[str]:
    answer = await client.get("/api/catalog", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [e["key"] for e in answer.json()["items"]]


def plain_dsn(settings) -> str:
    return settings.database_url.replace("postgresql+asyncpg://", "postgresql://")


async def test_api_changes_are_seen_by_the_next_search(service):
    async with service.as_user("s1100001") as student, service.as_user("admin") as admin:
        assert await keys(student, "量子計算") == []  # the copy is loaded now
        created = await admin.post(
            "/api/catalog", json={"name": "量子計算師", "issuer": "量子協會", "category": 5, "national_code": "Q-1"}
        )
        assert created.status_code == 201, created.text
        assert await keys(student, "量子計算") == ["code-q-1"]
        entry_id = created.json()["id"]
        assert (await admin.patch(f"/api/catalog/{entry_id}", json={"name": "量子運算師"})).status_code == 200
        assert await keys(student, "量子計算") == [] and await keys(student, "量子運算") == ["code-q-1"]
        patched = await admin.patch(f"/api/catalog/{entry_id}", json={"levels": [{"name": "一級"}]})
        assert patched.status_code == 200
        found = (await student.get("/api/catalog", params={"q": "量子運算"})).json()["items"]
        assert [lv["name"] for lv in found[0]["levels"]] == ["一級"]
        await admin.patch(f"/api/catalog/{entry_id}", json={"active": False})
        assert await keys(student, "量子運算") == []
        csv = "證照代號,證照名稱,發照單位,證照類別,國內外,資訊證照,等級\nQ-2,量子密碼分析師,量子協會,5,國內,Y,\n"
        imported = await admin.post("/api/catalog/import", content=csv.encode(), headers={"content-type": "text/csv"})
        assert imported.status_code == 200, imported.text
        assert await keys(student, "量子密碼") == ["code-q-2"]


async def test_plain_sql_and_copy_are_seen_by_the_next_search(service):
    async with service.as_user("s1100001") as student:
        assert await keys(student, "潛水教練") == []
        conn = await asyncpg.connect(plain_dsn(service.settings))
        try:
            await conn.execute(
                "INSERT INTO catalog_entries (id, key, name, issuer, category) "
                "VALUES ($1, 'sql-dive', '潛水教練', '潛水協會', 5)",
                uuid.uuid4(),
            )
            assert await keys(student, "潛水教練") == ["sql-dive"]
            await conn.copy_records_to_table(
                "catalog_entries",
                columns=["id", "key", "name", "issuer", "category"],
                records=[(uuid.uuid4(), "copy-dive", "潛水教練助理", "潛水協會", 5)],
            )
            assert await keys(student, "潛水教練") == ["sql-dive", "copy-dive"]
            await conn.execute("UPDATE catalog_entries SET active = false WHERE key = 'sql-dive'")
            assert await keys(student, "潛水教練") == ["copy-dive"]
        finally:
            await conn.close()
    assert service.runtime.deps.catalog_cache.index is not None  # answered from memory all along


async def test_another_replica_sees_changes_through_this_one(service, issuer):
    other = create_app(service.settings)
    async with running(other):
        replica = Clients(other, issuer)
        async with replica.as_user("s1100001") as there, service.as_user("admin") as admin:
            assert await keys(there, "天文導覽") == []  # the replica's own copy is loaded
            created = await admin.post("/api/catalog", json={"name": "天文導覽員", "issuer": "天文台", "category": 5})
            assert created.status_code == 201
            assert await keys(there, "天文導覽") == [created.json()["key"]]
            await admin.patch(f"/api/catalog/{created.json()['id']}", json={"name": "星空導覽員"})
            assert await keys(there, "天文導覽") == []
        assert other.state.runtime.deps.catalog_cache.index is not None
