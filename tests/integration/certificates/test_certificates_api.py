"""Registering, listing, reading, editing, deleting certificates and fetching their scans (real PG, S3, RabbitMQ)."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import httpx
from PIL import Image
from sqlalchemy import text

from certhub_kit.events.review import ReviewDecided

from .support import eventually, footprint, jpeg_bytes, outbox_events, pdf_bytes, png_bytes, publish, register

ISOLATION = "certapi"
SETTINGS = {"confirmation_categories": [3]}

ITEM_FIELDS = {
    "id",
    "entry_id",
    "entry_name",
    "level_id",
    "level_name",
    "cefr",
    "score",
    "issued_on",
    "certificate_no",
    "email",
    "phone",
    "mobile",
    "remarks",
    "status",
    "status_label",
    "status_label_en",
    "thumbnail_url",
    "scan_url",
    "reviewer",
    "reviewed_at",
    "review_reason",
    "can_edit",
    "can_delete",
    "student_id",
    "student_name",
    "dept",
    "created_at",
}


async def decide(service, certificate_id: str, decision: str, reason: str | None = None):
    await publish(
        service.settings,
        ReviewDecided(
            certificate_id=uuid.UUID(certificate_id),
            student_id="s1100001",
            decision=decision,
            reason=reason,
            reviewer_id="rev-im",
            reviewer_name="林審核",
            decided_at=datetime.now(UTC),
        ),
    )

    async def applied():
        async with service.as_user("s1100001") as c:
            return (await c.get(f"/api/certificates/{certificate_id}")).json()["status"] == decision

    await eventually(applied)


async def test_register_returns_201_with_the_certificate(service):
    before = await footprint(service.runtime)
    async with service.as_user("s1100001") as client:
        answer = await register(
            client, service, issued_on="20240301", score="", certificate_no="GEPT-123", scan=jpeg_bytes(exif=True)
        )
    assert answer.status_code == 201, answer.text
    cert = answer.json()
    assert set(cert) >= ITEM_FIELDS
    assert cert["status"] == "submitted" and cert["status_label"] == "申請中" and cert["status_label_en"] == "Submitted"
    assert cert["issued_on"] == "2024-03-01" and cert["level_name"] == "中級" and cert["cefr"] == "B1"
    assert cert["entry_name"] == "全民英語能力分級檢定測驗" and cert["certificate_no"] == "GEPT-123"
    assert cert["thumbnail_url"] == f"/api/certificates/{cert['id']}/thumbnail"
    assert cert["can_edit"] and cert["can_delete"] and cert["student_id"] == "s1100001" and cert["dept"] == "IM"
    after = await footprint(service.runtime)
    assert after["rows"] == before["rows"] + 1 and after["scans"] == before["scans"] + 1
    assert after["thumbnails"] == before["thumbnails"] and after["tokens"] == before["tokens"]  # made when first shown
    [event] = [
        e for e in await outbox_events(service.runtime, "certificate.registered.v1") if e["subject"] == cert["id"]
    ]
    snap = event["data"]["certificate"]
    assert snap["status"] == "submitted" and snap["version"] == 1 and snap["scan_phash"]
    assert event["data"]["confirmation_url"] is None
    keys = await service.runtime.storage.keys("scans")
    assert any(k.startswith(cert["id"] + "/") for k in keys)
    stored = await service.runtime.storage.get("scans", next(k for k in keys if k.startswith(cert["id"])))
    assert b"SecretCam" not in stored  # EXIF removed


async def test_pdf_and_png_scans_are_accepted(service):
    async with service.as_user("s1100001") as client:
        for data, name, ctype in ((pdf_bytes(), "c.pdf", "application/pdf"), (png_bytes(), "c.png", "image/png")):
            answer = await register(
                client, service, scan=data, filename=name, content_type=ctype, entry="tech-software", level=None
            )
            assert answer.status_code == 201, answer.text
            assert answer.json()["level_id"] is None


async def test_validation_errors_name_the_field_and_write_nothing(service):
    before = await footprint(service.runtime)
    async with service.as_user("s1100001") as client:
        cases = [
            ({"issued_on": "2999-01-01"}, "issued_on", "future_date"),
            ({"issued_on": "01/03/2024"}, "issued_on", "bad_date"),
            ({"entry_id": str(uuid.uuid4())}, "entry_id", "unknown_entry"),
            ({"entry_id": "not-a-uuid"}, "entry_id", "unknown_id"),
            ({"level_id": None}, "level_id", "required"),
            ({"email": "nope"}, "email", "bad_email"),
        ]
        for fields, field, code in cases:
            answer = await register(client, service, **fields)
            assert answer.status_code == 422, (fields, answer.text)
            error = answer.json()["error"]
            assert error["field"] == field and error["code"] == code and error["message"] and error["message_en"]
        other_level = service.level("toeic", "金色證書")
        answer = await register(client, service, level_id=other_level)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "level_mismatch"
        answer = await register(client, service, entry="toeic", level="金色證書", score="500")
        assert answer.status_code == 422 and answer.json()["error"]["field"] == "score"
        answer = await client.post("/api/certificates", data={"entry_id": service.entry("gept")})
        assert answer.status_code == 422
    assert await footprint(service.runtime) == before


async def test_list_keyset_pagination_and_staff_filters(service):
    async with service.as_user("s1100002") as client:
        made = [(await register(client, service, remarks=f"n{i}")).json()["id"] for i in range(5)]
        first = (await client.get("/api/certificates", params={"limit": 2})).json()
        assert [c["id"] for c in first["items"]] == made[::-1][:2] and first["next_cursor"]
        seen = [c["id"] for c in first["items"]]
        cursor = first["next_cursor"]
        while cursor:
            page = (await client.get("/api/certificates", params={"limit": 2, "cursor": cursor})).json()
            seen += [c["id"] for c in page["items"]]
            cursor = page["next_cursor"]
        assert seen == made[::-1]
        refused = await client.get("/api/certificates", params={"cursor": "garbage!"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_cursor"
    async with service.as_user("rev-im") as reviewer:
        listed = (await reviewer.get("/api/certificates", params={"student": "s1100002", "limit": 200})).json()
        assert {c["id"] for c in listed["items"]} >= set(made)
        assert all(c["dept"] == "IM" and not c["can_edit"] for c in listed["items"])
        by_name = (await reviewer.get("/api/certificates", params={"student": "李小", "status": "submitted"})).json()
        assert by_name["items"] and all(c["student_name"] == "李小華" for c in by_name["items"])
        assert (await reviewer.get("/api/certificates", params={"dept": "EE"})).status_code == 403
        assert (await reviewer.get("/api/certificates", params={"status": "bogus"})).status_code == 422
    async with service.as_user("center") as center:
        assert (await center.get("/api/certificates", params={"dept": "IM"})).json()["items"]


async def test_edit_delete_and_the_409_after_approval(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service)).json()
        edited = await client.patch(
            f"/api/certificates/{cert['id']}",
            data={"remarks": "更正備註", "score": ""},
            files={"scan": ("new.png", png_bytes(), "image/png")},
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["remarks"] == "更正備註" and edited.json()["status"] == "submitted"
        [updated] = [
            e for e in await outbox_events(service.runtime, "certificate.updated.v1") if e["subject"] == cert["id"]
        ]
        assert updated["data"]["certificate"]["version"] == 2 and updated["data"]["resubmitted"] is False
        keys = [k for k in await service.runtime.storage.keys("scans") if k.startswith(cert["id"])]
        assert len(keys) == 1 and keys[0].endswith(".png")  # old scan replaced, not orphaned

        await decide(service, cert["id"], "approved")
        got = (await client.get(f"/api/certificates/{cert['id']}")).json()
        assert got["reviewer"] == "林審核" and got["reviewed_at"] and not got["can_edit"]
        for answer in (
            await client.patch(f"/api/certificates/{cert['id']}", data={"remarks": "x"}),
            await client.delete(f"/api/certificates/{cert['id']}"),
        ):
            assert answer.status_code == 409
            assert (
                answer.json()["error"]["code"] == "certificate_locked" and "通過" in answer.json()["error"]["message"]
            )

        gone = (await register(client, service)).json()
        assert (await client.get(f"/api/certificates/{gone['id']}/thumbnail")).status_code == 307
        before = await footprint(service.runtime)
        assert (await client.delete(f"/api/certificates/{gone['id']}")).status_code == 204
        after = await footprint(service.runtime)
        assert after["rows"] == before["rows"] - 1 and after["scans"] == before["scans"] - 1
        assert after["thumbnails"] == before["thumbnails"] - 1
        assert (await client.get(f"/api/certificates/{gone['id']}")).status_code == 404
        assert [e for e in await outbox_events(service.runtime, "certificate.deleted.v1") if e["subject"] == gone["id"]]


async def test_resubmit_after_rejection(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service)).json()
        await decide(service, cert["id"], "rejected", reason="影本不清楚")
        rejected = (await client.get(f"/api/certificates/{cert['id']}")).json()
        assert rejected["review_reason"] == "影本不清楚" and rejected["can_edit"]
        answer = await client.patch(
            f"/api/certificates/{cert['id']}", files={"scan": ("s.jpg", jpeg_bytes(), "image/jpeg")}
        )
        assert answer.status_code == 200 and answer.json()["status"] == "submitted"
        assert answer.json()["review_reason"] is None
    events = [e for e in await outbox_events(service.runtime, "certificate.updated.v1") if e["subject"] == cert["id"]]
    assert events[-1]["data"]["resubmitted"] is True and events[-1]["data"]["certificate"]["status"] == "submitted"
    async with service.runtime.db.engine.connect() as conn:
        trail = (
            await conn.execute(
                text("SELECT from_state, to_state FROM audit_log WHERE subject = :s ORDER BY seq"), {"s": cert["id"]}
            )
        ).all()
    assert [tuple(r) for r in trail] == [(None, "submitted"), ("submitted", "rejected"), ("rejected", "submitted")]


async def test_scan_and_thumbnail_redirect_to_presigned_urls(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service, scan=jpeg_bytes((800, 600)))).json()
        thumbnails = (await footprint(service.runtime))["thumbnails"]
        for path in ("scan", "thumbnail"):
            answer = await client.get(f"/api/certificates/{cert['id']}/{path}")
            assert answer.status_code == 307 and answer.headers["cache-control"] == "private, no-store"
            async with httpx.AsyncClient() as s3:
                blob = await s3.get(answer.headers["location"])
            assert blob.status_code == 200
            image = Image.open(io.BytesIO(blob.content))
            assert image.format == "JPEG"
            if path == "thumbnail":
                assert max(image.size) == 320 and (await footprint(service.runtime))["thumbnails"] == thumbnails + 1
    async with service.as_user("rev-im") as reviewer:
        assert (await reviewer.get(f"/api/certificates/{cert['id']}/scan")).status_code == 307


async def test_scan_is_streamed_when_storage_gives_no_url(service, monkeypatch):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service)).json()

        async def no_url(*args, **kwargs):
            return None

        monkeypatch.setattr(service.runtime.storage, "presigned_get", no_url)
        answer = await client.get(f"/api/certificates/{cert['id']}/thumbnail")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert answer.content.startswith(b"\xff\xd8\xff")
