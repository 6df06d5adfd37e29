"""S3: the bad-upload corpus against every upload endpoint — the certificate scan, the centre's
scan of the original, the passbook cover, and both CSV imports: 100 % refused with a clear zh-TW
+ English message, and nothing stored (no row, no object, no event)."""

from __future__ import annotations

import re

import pytest

from tests.support.samples import certificate_jpeg
from tests.support.upload_corpus import corpus, csv_corpus

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文 (EE): the S1 matrix owns s1100001's records
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
async def targets(fleet) -> dict:
    draft = await fleet.register(STUDENT, "tqc-excel", "專業級")  # verified track: needs the original
    await fleet.confirmed(draft["id"])
    await fleet.in_review_queue(draft["id"])
    approved = (await fleet.register(STUDENT, "gept", "中級"))["id"]
    await fleet.approve(approved, who="rev-ee")
    application = (await fleet.apply(STUDENT, "全民英檢中級或同等級英語檢定", [approved]))["id"]
    await fleet.quiet()
    return {"verified": draft["id"], "application": application}


def endpoints(fleet, targets) -> list[tuple]:
    """(label, service, who, method, path, field, form fields)"""
    gept = fleet.entries["gept"]
    return [
        (
            "certificate scan",
            "certificates",
            STUDENT,
            "POST",
            "/api/certificates",
            "scan",
            {
                "entry_id": gept["id"],
                "level_id": gept["levels"]["中級"],
                "issued_on": "2026-10-01",
                "email": "s1100003@demo.certhub.tw",
            },
        ),
        ("original scan", "review", "center", "POST", f"/api/review/{targets['verified']}/original", "scan", {}),
        (
            "passbook cover",
            "rewards",
            STUDENT,
            "PUT",
            f"/api/rewards/applications/{targets['application']}/bank-account",
            "passbook",
            {
                "method": "bank",
                "code": "0040174",
                "account_no": "123456789012",
                "account_name": "陳大文",
                "postal_code": "900",
                "address": "屏東縣屏東市民生路4-18號",
            },
        ),
    ]


def clear_message(answer) -> bool:
    try:
        error = answer.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(CJK.search(error.get("message") or "")) and bool(error.get("message_en"))


async def test_s3_every_bad_file_is_refused_and_nothing_is_stored(fleet, targets):
    tried, refused, failures = 0, 0, []
    for label, service, who, method, path, field, form in endpoints(fleet, targets):
        for bad in corpus():
            before = await fleet.footprint(service)
            async with fleet.client(service, who) as client:
                answer = await client.request(
                    method, path, data=form, files={field: (bad.filename, bad.data, bad.content_type)}
                )
            tried += 1
            stored = await fleet.footprint(service) != before
            if (
                400 <= answer.status_code < 500
                and answer.status_code not in (401, 403, 404)
                and clear_message(answer)
                and not stored
            ):
                refused += 1
            else:
                failures.append(f"{label} × {bad.name}: {answer.status_code} stored={stored} {answer.text[:160]}")
        async with fleet.client(service, who) as client:  # control: the same call with a good file passes
            good = await client.request(
                method, path, data=form, files={field: ("good.jpg", certificate_jpeg(5), "image/jpeg")}
            )
        assert good.status_code < 300, f"{label}: the control upload failed, so the refusals prove nothing: {good.text}"
        await fleet.quiet()  # its events settle before the next endpoint's footprint is taken
    for label, path, limit in (
        ("catalog CSV import", "/api/catalog/import", 10 * 1024 * 1024),
        ("standards CSV import", "/api/rewards/standards/import", 1024 * 1024),
    ):
        service = "certificates" if "catalog" in path else "rewards"
        for bad in csv_corpus(limit):
            before = await fleet.footprint(service)
            async with fleet.client(service, "admin") as client:
                answer = await client.post(path, files={"file": (bad.filename, bad.data, bad.content_type)})
            tried += 1
            stored = await fleet.footprint(service) != before
            if 400 <= answer.status_code < 500 and clear_message(answer) and not stored:
                refused += 1
            else:
                failures.append(f"{label} × {bad.name}: {answer.status_code} stored={stored} {answer.text[:160]}")
    print(
        f"\nS3: {tried} bad uploads over 5 upload endpoints, {refused} refused with a zh-TW + English message "
        f"and nothing stored ({100 * refused / tried:.0f} %)"
    )
    assert not failures, "\n".join(failures)


async def test_s3_a_good_file_with_a_hostile_name_is_stored_under_a_generated_key(fleet):
    """The names above are refused with their bad content; with a real image the name is simply
    never used: objects live under generated keys."""
    async with fleet.client("certificates", STUDENT) as client:
        gept = fleet.entries["gept"]
        answer = await client.post(
            "/api/certificates",
            data={
                "entry_id": gept["id"],
                "level_id": gept["levels"]["初級"],
                "issued_on": "2026-10-02",
                "email": "s1100003@demo.certhub.tw",
            },
            files={"scan": ("../../../../tmp/evil\r\n.jpg", certificate_jpeg(9), "image/jpeg")},
        )
    assert answer.status_code == 201, answer.text
    keys = await fleet.runtime("certificates").storage.keys("scans")
    assert keys and all(".." not in k and "evil" not in k and "tmp" not in k for k in keys)
