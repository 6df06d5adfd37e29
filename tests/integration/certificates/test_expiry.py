"""Catalog validity (admin form and CSV import) and certificates' expires_on, on screens and in events."""

from __future__ import annotations

from .support import outbox_events, register

ISOLATION = "expiry"


async def test_validity_is_kept_per_entry_and_checked(service):
    entry = service.entry("toeic")
    async with service.as_user("admin") as admin:
        assert (await admin.get(f"/api/catalog/{entry}")).json()["validity"] == {"kind": "never"}
        two = await admin.patch(f"/api/catalog/{entry}", json={"validity": {"kind": "years", "years": 2}})
        assert two.status_code == 200 and two.json()["validity"] == {"kind": "years", "years": 2}
        bad = await admin.patch(f"/api/catalog/{entry}", json={"validity": {"kind": "years", "years": 0}})
        assert bad.status_code == 422 and bad.json()["error"]["message_en"]
        missing = await admin.patch(f"/api/catalog/{entry}", json={"validity": {"kind": "until"}})
        assert missing.status_code == 422 and "validity" in missing.json()["error"]["message_en"]
        assert (await admin.get(f"/api/catalog/{entry}")).json()["validity"] == {"kind": "years", "years": 2}
    async with service.as_user("s1100001") as reviewer:
        assert (await reviewer.patch(f"/api/catalog/{entry}", json={"validity": None})).status_code == 403


async def test_certificates_carry_expires_on_and_expired(service):
    async with service.as_user("admin") as admin:
        await admin.patch(f"/api/catalog/{service.entry('gept')}", json={"validity": {"kind": "years", "years": 2}})
        await admin.patch(
            f"/api/catalog/{service.entry('mos-word')}", json={"validity": {"kind": "until", "date": "2099-12-31"}}
        )
    async with service.as_user("s1100001") as student:
        old = (await register(student, service, issued_on="2020-05-01")).json()
        fresh = (await register(student, service, entry="mos-word", level="Associate")).json()
        never = (await register(student, service, entry="tech-software", level=None)).json()
    assert (old["expires_on"], old["expired"]) == ("2022-05-01", True)
    assert (fresh["expires_on"], fresh["expired"]) == ("2099-12-31", False)
    assert (never["expires_on"], never["expired"]) == (None, False)
    snapshots = {
        e["subject"]: e["data"]["certificate"]
        for e in await outbox_events(service.runtime, "certificate.registered.v1")
    }
    assert snapshots[old["id"]]["expires_on"] == "2022-05-01" and snapshots[never["id"]]["expires_on"] is None


async def test_the_catalog_import_carries_validity_and_a_file_without_the_column_keeps_it(service):
    with_column = (
        "證照代號,證照名稱,發照單位,證照類別,有效期限\nV-1,某語言測驗,某單位,1,2y\nV-2,某執照,某單位,4,2030-06-30\n"
    )
    without = "證照代號,證照名稱,發照單位,證照類別\nV-1,某語言測驗（新名）,某單位,1\n"
    async with service.as_user("admin") as admin:
        first = await admin.post("/api/catalog/import", files={"file": ("v.csv", with_column.encode(), "text/csv")})
        assert first.status_code == 200 and first.json()["created"] == 2, first.text
        again = await admin.post("/api/catalog/import", files={"file": ("v.csv", without.encode(), "text/csv")})
        assert again.json()["updated"] == 1
        found = (await admin.get("/api/catalog", params={"q": "V-"})).json()["items"]
        by_code = {e["national_code"]: e for e in found}
        assert by_code["V-1"]["validity"] == {"kind": "years", "years": 2}
        assert by_code["V-2"]["validity"] == {"kind": "until", "date": "2030-06-30"}
        bad = "證照代號,證照名稱,發照單位,證照類別,有效期限\nV-3,X,Y,1,soon\n"
        refused = await admin.post("/api/catalog/import", files={"file": ("v.csv", bad.encode(), "text/csv")})
        assert refused.status_code == 422 and refused.json()["error"]["line"] == 2
