"""Issue 5's proof: the whole B363 flow — apply, bank account, 初審, 複審, payout, history — over
HTTP through the gateway with the other services running as separate processes.

Certificates → review (decision over the broker) → certificates (status) → rewards (eligible,
from ``certificate.status_changed.v1``) → the application's two reviews, payout and history.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
from openpyxl import load_workbook

from tests.e2e.gateway_api import catalog_entry, decide, login, queue_item, register, wait_for_status
from tests.support.samples import certificate_jpeg
from tests.support.waiting import eventually

POST_OFFICE = "7000021"
ACCOUNT_NO = "00012345678901"  # Chunghwa Post accounts have 14 digits
LABEL = "全校--2級-5項-全民英檢中高級或同等級英語檢定"
AMOUNT = 3000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def approved_certificate(client: httpx.AsyncClient, student: dict, reviewer: dict, *, seed: int) -> str:
    """A GEPT 中高級 of the student, approved by the IM reviewer (simple track), as certificates shows it."""
    gept = await catalog_entry(client, student, "gept", "全民英語")
    certificate = await register(client, student, gept, "中高級", seed=seed, email="e2e-reward@student.test")
    await queue_item(client, reviewer, certificate["id"], student="s1100001")
    decided = await decide(client, reviewer, certificate["id"])
    assert decided.status_code == 200 and decided.json()["outcome"] == "approved", decided.text
    await wait_for_status(client, student, certificate["id"], "approved")
    return certificate["id"]


async def eligible_standard(client: httpx.AsyncClient, student: dict, certificate_id: str) -> dict:
    """Waits until rewards learnt the approval from the event and suggests the standard for it."""

    async def suggested():
        response = await client.get("/api/rewards/eligible", headers=student)
        assert response.status_code == 200, response.text
        return next(
            (
                s["standard"]
                for s in response.json()
                if any(c["certificate_id"] == certificate_id for c in s["certificates"])
                and s["standard"]["label"] == LABEL
            ),
            None,
        )

    return await eventually(suggested, timeout=15)


async def open_window(client: httpx.AsyncClient, admin: dict, student: dict) -> int:
    current = await client.get("/api/rewards/window", headers=student)
    assert current.status_code == 200, current.text
    year = current.json()["academic_year"]
    now = datetime.now(UTC)
    response = await client.put(
        f"/api/rewards/windows/{year}",
        headers=admin,
        json={"opens_at": (now - timedelta(hours=1)).isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_open"] is True
    assert (
        await client.put(
            f"/api/rewards/windows/{year}",
            headers=student,
            json={"opens_at": now.isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
        )
    ).status_code == 403
    return year


async def save_bank_account(client: httpx.AsyncClient, student: dict, application_id: str) -> httpx.Response:
    return await client.put(
        f"/api/rewards/applications/{application_id}/bank-account",
        headers=student,
        data={
            "method": "post",
            "code": POST_OFFICE,
            "account_no": ACCOUNT_NO,
            "account_name": "王小明",
            "postal_code": "90003",
            "address": "屏東縣屏東市民生路4之18號",
        },
        files={"passbook": ("passbook.jpg", certificate_jpeg(431), "image/jpeg")},
    )


async def test_b363_apply_bank_account_reviews_payout_and_history(stack):
    async with httpx.AsyncClient(base_url=stack.url, timeout=20) as client:
        student = await login(client, "s1100001")  # 王小明, IM
        rev_im, rev_ee = await login(client, "rev-im"), await login(client, "rev-ee")
        center, admin = await login(client, "center"), await login(client, "admin")

        certificate_id = await approved_certificate(client, student, rev_im, seed=421)
        standard = await eligible_standard(client, student, certificate_id)
        assert standard["required_count"] == 1 and standard["amount"] == AMOUNT and standard["level"] == 2
        year = await open_window(client, admin, student)

        applied = await client.post(
            "/api/rewards/applications",
            headers=student,
            json={"standard_id": standard["id"], "certificate_ids": [certificate_id]},
        )
        assert applied.status_code == 201, applied.text
        application = applied.json()
        application_id = application["id"]
        assert application["status"] == "submitted" and application["academic_year"] == year
        assert application["label"] == LABEL and application["certificate_count"] == 1

        used_again = await client.post(
            "/api/rewards/applications",
            headers=student,
            json={"standard_id": standard["id"], "certificate_ids": [certificate_id]},
        )
        assert used_again.status_code == 409, used_again.text
        assert used_again.json()["error"]["code"] == "certificate_used"

        no_account = await client.post(
            f"/api/rewards/applications/{application_id}/first-review", headers=rev_im, json={"result": "Y"}
        )
        assert no_account.status_code == 409 and no_account.json()["error"]["code"] == "bank_account_missing"

        bank = await save_bank_account(client, student, application_id)
        assert bank.status_code == 200, bank.text
        assert bank.json()["account_masked"].endswith(ACCOUNT_NO[-4:]) and bank.json()["has_passbook"]
        assert ACCOUNT_NO not in bank.text

        other_dept = await client.post(
            f"/api/rewards/applications/{application_id}/first-review", headers=rev_ee, json={"result": "Y"}
        )
        assert other_dept.status_code == 403, other_dept.text
        first = await client.post(
            f"/api/rewards/applications/{application_id}/first-review",
            headers=rev_im,
            json={"result": "Y", "note": "資料齊全"},
        )
        assert first.status_code == 200, first.text
        assert first.json()["status"] == "first_passed"

        assert (
            await client.patch(
                f"/api/rewards/applications/{application_id}",
                headers=student,
                json={"certificate_ids": [certificate_id]},
            )
        ).status_code == 409
        assert (await client.delete(f"/api/rewards/applications/{application_id}", headers=student)).status_code == 409
        assert (await save_bank_account(client, student, application_id)).status_code == 409

        not_center = await client.post(
            f"/api/rewards/applications/{application_id}/second-review", headers=rev_im, json={"result": "Y"}
        )
        assert not_center.status_code == 403, not_center.text
        second = await client.post(
            f"/api/rewards/applications/{application_id}/second-review", headers=center, json={"result": "Y"}
        )
        assert second.status_code == 200, second.text
        assert second.json()["status"] == "second_passed"

        batch = await client.post("/api/rewards/payouts", headers=center, json={"application_ids": [application_id]})
        assert batch.status_code == 201, batch.text
        batch_id = batch.json()["id"]
        assert batch.json()["count"] == 1 and batch.json()["total"] == AMOUNT
        exported = await client.get(f"/api/rewards/payouts/{batch_id}/export.csv", headers=center)
        assert exported.status_code == 200, exported.text
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert any(
            ACCOUNT_NO in row and str(AMOUNT) in row and "s1100001" in row and POST_OFFICE in row for row in rows[1:]
        ), rows
        assert (await client.get(f"/api/rewards/payouts/{batch_id}/export.csv", headers=student)).status_code == 403
        paid = await client.post(f"/api/rewards/payouts/{batch_id}/paid", headers=center)
        assert paid.status_code == 200, paid.text

        mine = await client.get(f"/api/rewards/applications/{application_id}", headers=student)
        assert mine.status_code == 200, mine.text
        assert mine.json()["status"] == "paid" and mine.json()["status_label"] == "已撥款"
        assert mine.json()["paid_at"] and ACCOUNT_NO not in mine.text

        await check_history(client, application_id, year, student=student, reviewer=rev_im, other=rev_ee, center=center)


async def check_history(
    client: httpx.AsyncClient,
    application_id: str,
    year: int,
    *,
    student: dict,
    reviewer: dict,
    other: dict,
    center: dict,
) -> None:
    """歷年證照獎勵申請查詢: the student sees their own, the reviewer their department, the centre all."""
    for who, params in (
        (student, {"year": year}),
        (reviewer, {"year": year, "dept": "IM", "class": "IM3A"}),
        (center, {"year": year, "student": "s1100001", "name": "王小明", "division": "day", "program": "bachelor"}),
    ):
        found = await client.get("/api/rewards/applications", headers=who, params=params)
        assert found.status_code == 200, found.text
        row = next(i for i in found.json()["items"] if i["id"] == application_id)
        assert row["amount"] == AMOUNT and row["status"] == "paid" and row["certificate_count"] == 1
        assert row["first_review"]["result"] == "Y" and row["second_review"]["result"] == "Y"
        assert row["first_review"]["reviewer"] and row["bank_account"]["account_masked"].endswith(ACCOUNT_NO[-4:])
        assert ACCOUNT_NO not in found.text
    hidden = await client.get("/api/rewards/applications", headers=other, params={"year": year})
    assert hidden.status_code == 200 and all(i["id"] != application_id for i in hidden.json()["items"])

    as_csv = await client.get("/api/rewards/applications/export.csv", headers=center, params={"year": year})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    text = as_csv.content.decode("utf-8-sig")
    assert "s1100001" in text and LABEL in text and str(AMOUNT) in text and ACCOUNT_NO not in text
    as_xlsx = await client.get("/api/rewards/applications/export.xlsx", headers=student, params={"year": year})
    assert as_xlsx.status_code == 200 and as_xlsx.headers["content-type"].startswith(XLSX)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any("s1100001" in row and LABEL in row and AMOUNT in row for row in cells[1:]), cells
