"""Class rosters over HTTP (real PostgreSQL, S3, RabbitMQ): dry run, confirm, idempotent re-upload, the
student's one-click completion, who may do what, and nothing written on refusals."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import text

from .support import footprint, jpeg_bytes, outbox_events, register

ISOLATION = "rosters"
SETTINGS = {"confirmation_categories": [3]}
HEADER = "學號,證照,級別,分數,發證日期,證照字號"


def roster_csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


async def upload(client, content: bytes, *, dry_run: str = "true", filename: str = "roster.csv"):
    return await client.post(
        "/api/certificates/rosters", data={"dry_run": dry_run}, files={"file": (filename, content, "text/csv")}
    )


async def prefills(runtime) -> int:
    async with runtime.db.engine.connect() as conn:
        return await conn.scalar(text("SELECT count(*) FROM roster_prefills"))


GOOD = ("s1100001,T-0002,金色證書,900,2024-03-01,TOEIC-R1", "s1100002,tqc-excel,實用級,88,20240302,TQC-R2")


async def test_a_dry_run_reports_each_row_and_writes_nothing(service):
    async with service.as_user("s1100003") as ee:  # a student the service has seen, in EE
        assert (await register(ee, service)).status_code == 201
    before, rows_before = await footprint(service.runtime), await prefills(service.runtime)
    content = roster_csv(
        *GOOD,
        "s1100003,T-0002,金色證書,900,2024-03-01,X",
        "s1100002,NOPE,,,2024-03-01,",
        "s1100002,toeic,金色證書,700,2024-03-01,",
        "s1100002,11800,,,2031-01-01,",
        "s1100001,T-0002,金色證書,900,2024-03-01,TOEIC-R1",
    )
    async with service.as_user("rev-im") as client:
        answer = await upload(client, content)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["created"] == 0
    assert [(r["row"], r["status"]) for r in body["rows"]] == [
        (2, "ok"),
        (3, "ok"),
        (4, "unknown_student"),
        (5, "unknown_entry"),
        (6, "score_out_of_range"),
        (7, "bad_date"),
        (8, "duplicate"),
    ]
    assert all(r["message"] and r["message_en"] for r in body["rows"])
    assert await footprint(service.runtime) == before and await prefills(service.runtime) == rows_before


async def test_confirming_bad_rows_is_a_422_with_the_rows_and_creates_nothing(service):
    rows_before = await prefills(service.runtime)
    async with service.as_user("rev-im") as client:
        answer = await upload(client, roster_csv(GOOD[0], "s1100002,NOPE,,,2024-03-01,"), dry_run="false")
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "roster_rows_invalid" and error["message"] and error["message_en"]
    assert [r["status"] for r in error["rows"]] == ["ok", "unknown_entry"]
    assert await prefills(service.runtime) == rows_before


async def test_confirm_then_reupload_changes_nothing_and_the_student_completes_in_one_click(service):
    events_before = len(await outbox_events(service.runtime, "certificate.registered.v1"))
    async with service.as_user("rev-im") as client:
        first = await upload(client, roster_csv(*GOOD), dry_run="false")
        again = await upload(client, roster_csv(*GOOD), dry_run="false")
    assert first.status_code == 200 and first.json()["created"] == 2, first.text
    assert again.status_code == 200 and again.json()["created"] == 0
    assert [r["status"] for r in again.json()["rows"]] == ["exists", "exists"]
    # pre-registered rows are not certificates yet: no event for review, rewards or notify
    assert len(await outbox_events(service.runtime, "certificate.registered.v1")) == events_before

    async with service.as_user("s1100001") as student:
        [item] = (await student.get("/api/certificates/rosters/prefills")).json()["items"]
        assert item["entry_key"] == "toeic" and item["level_name"] == "金色證書" and item["score"] == "900"
        assert item["status"] == "prefilled" and item["certificate_no"] == "TOEIC-R1"
        done = await student.post(
            f"/api/certificates/rosters/prefills/{item['id']}/complete",
            files={"scan": ("scan.jpg", jpeg_bytes(), "image/jpeg")},
        )
        assert done.status_code == 201, done.text
        cert = done.json()
        assert cert["status"] == "submitted" and cert["roster_id"] == first.json()["roster_id"]
        assert cert["issued_on"] == "2024-03-01" and cert["certificate_no"] == "TOEIC-R1"
        assert cert["email"] == "s1100001@demo.certhub.tw"
        assert (await student.get("/api/certificates/rosters/prefills")).json()["items"] == []
        twice = await student.post(
            f"/api/certificates/rosters/prefills/{item['id']}/complete",
            files={"scan": ("scan.jpg", jpeg_bytes(), "image/jpeg")},
        )
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "prefill_completed"
    registered = await outbox_events(service.runtime, "certificate.registered.v1")
    assert registered[-1]["subject"] == cert["id"]

    async with service.as_user("s1100002") as other:  # a track with an email confirmation first
        [tqc] = (await other.get("/api/certificates/rosters/prefills")).json()["items"]
        stranger = await other.post(
            f"/api/certificates/rosters/prefills/{item['id']}/complete",
            files={"scan": ("scan.jpg", jpeg_bytes(), "image/jpeg")},
        )
        assert stranger.status_code == 404  # someone else's pre-registration is not there for them
        no_scan = await other.post(
            f"/api/certificates/rosters/prefills/{tqc['id']}/complete", data={"email": "me@demo.certhub.tw"}
        )
        assert no_scan.status_code == 422 and no_scan.json()["error"]["field"] == "scan"
        done = await other.post(
            f"/api/certificates/rosters/prefills/{tqc['id']}/complete",
            data={"email": "me@demo.certhub.tw"},
            files={"scan": ("scan.jpg", jpeg_bytes(), "image/jpeg")},
        )
        assert done.status_code == 201 and done.json()["status"] == "draft"
    async with service.as_user("rev-im") as client:  # the completed rows stay imported
        assert [r["status"] for r in (await upload(client, roster_csv(*GOOD))).json()["rows"]] == ["exists"] * 2


async def test_xlsx_rosters_and_the_template(service):
    book = Workbook()
    book.active.append(["student_no", "entry", "level", "score", "issued_on", "certificate_no"])
    book.active.append(["s1100009", "A123", "實用級", 77, "2024-05-05", "XL-1"])
    out = io.BytesIO()
    book.save(out)
    async with service.as_user("center") as client:
        answer = await upload(client, out.getvalue(), filename="roster.xlsx")
        template = await client.get("/api/certificates/rosters/template.csv")
    assert answer.status_code == 200 and [r["status"] for r in answer.json()["rows"]] == ["ok"]
    assert template.status_code == 200 and template.content.startswith(b"\xef\xbb\xbf")
    assert "學號 student_no" in template.content.decode("utf-8-sig")


async def test_who_may_upload_and_unreadable_files(service):
    async with service.as_user("s1100001") as student:
        assert (await upload(student, roster_csv(*GOOD))).status_code == 403
        assert (await student.get("/api/certificates/rosters/template.csv")).status_code == 403
    async with service.as_user("rev-im") as reviewer:
        assert (await reviewer.get("/api/certificates/rosters/prefills")).status_code == 403
        bad = await upload(reviewer, b"nothing,useful\n1,2\n")
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "roster_invalid"
        missing = await reviewer.post("/api/certificates/rosters", data={"dry_run": "true"})
        assert missing.status_code in (415, 422)
        flag = await upload(reviewer, roster_csv(*GOOD), dry_run="maybe")
        assert flag.status_code == 422 and flag.json()["error"]["field"] == "dry_run"
