"""Issue 4's proof: both seeds' review flows run end to end over the broker with the certificates
service — every service a separate process behind the gateway, driven only over HTTP.

NPTU (simple track): register → department queue with the rule checklist → department reviewer
approves → certificates shows ``approved``.
KSU (verified track on 資訊, the demo configuration): register → mail → link → ``submitted`` → the
centre scans the original → ``verifying`` → approve → ``credit_pending`` → registrar recorded →
``approved``; a later IT certificate of the same student ends ``recorded``.
"""

from __future__ import annotations

import httpx

from tests.e2e.gateway_api import (
    catalog_entry,
    certificate_status,
    confirmation_link,
    decide,
    login,
    queue_item,
    register,
    wait_for_review_status,
    wait_for_status,
)
from tests.support.samples import certificate_jpeg

RULES = {"recognised", "reporting_window", "dept_threshold", "duplicates"}


async def test_nptu_simple_track_department_reviewer_approves(stack):
    async with httpx.AsyncClient(base_url=stack.url, timeout=20) as client:
        student = await login(client, "s1100002")  # 資訊管理學系 (IM)
        rev_im = await login(client, "rev-im")
        rev_ee = await login(client, "rev-ee")
        jlpt = await catalog_entry(client, student, "jlpt", "日本語能力試驗")
        assert jlpt["category"] == 2 and not jlpt["it_certificate"]

        certificate = await register(client, student, jlpt, "N2", seed=401, email="e2e-nptu@student.test")
        assert certificate["status"] == "submitted", "the simple track needs no email confirmation"
        certificate_id = certificate["id"]

        item = await queue_item(client, rev_im, certificate_id, student="s1100002")
        assert item["track"] == "simple" and item["dept"] == "IM" and item["status"] == "submitted"
        assert item["entry_key"] == "jlpt" and item["level_name"] == "N2"
        checklist = {line["rule"]: line for line in item["checklist"]}
        assert set(checklist) >= RULES, item["checklist"]
        assert all(line["passed"] and line["reason"] and line["reason_en"] for line in checklist.values()), checklist
        assert item["flags"] == []

        other_dept = await decide(client, rev_ee, certificate_id)
        assert other_dept.status_code == 403, other_dept.text
        assert (await client.get(f"/api/review/{certificate_id}", headers=rev_ee)).status_code == 403
        assert (await decide(client, student, certificate_id)).status_code == 403
        assert await certificate_status(client, student, certificate_id) == "submitted"

        approved = await decide(client, rev_im, certificate_id)
        assert approved.status_code == 200, approved.text
        assert approved.json()["outcome"] == "approved"

        await wait_for_status(client, student, certificate_id, "approved")
        mine = (await client.get(f"/api/certificates/{certificate_id}", headers=student)).json()
        assert mine["reviewer"] and mine["reviewed_at"]
        assert mine["can_edit"] is False and mine["can_delete"] is False
        locked = await client.delete(f"/api/certificates/{certificate_id}", headers=student)
        assert locked.status_code == 409, locked.text
        reviewed = await wait_for_review_status(client, rev_im, certificate_id, "approved")
        assert reviewed["decided_by"] and reviewed["last_decision"] == "approved"


async def register_and_confirm(
    client: httpx.AsyncClient, smtp_sink, student: dict, entry: dict, level: str, *, seed: int, email: str
) -> str:
    """KSU: 已建檔 until the student follows the link in the mail, then 申請中."""
    certificate = await register(client, student, entry, level, seed=seed, email=email)
    assert certificate["status"] == "draft"
    mails = await smtp_sink.wait_for(lambda m: email in (m["To"] or ""), timeout=20)
    assert len(mails) == 1
    link = confirmation_link(mails[0])
    assert link.startswith(str(client.base_url).rstrip("/")), "built from the configured public base URL"
    page = await client.get(link)
    assert page.status_code == 200 and "<form" in page.text
    assert await certificate_status(client, student, certificate["id"]) == "draft", "GET must not confirm"
    confirmed = await client.post(link)
    assert confirmed.status_code == 200, confirmed.text
    await wait_for_status(client, student, certificate["id"], "submitted")
    return certificate["id"]


async def upload_original(client: httpx.AsyncClient, center: dict, certificate_id: str, seed: int) -> dict:
    response = await client.post(
        f"/api/review/{certificate_id}/original",
        headers=center,
        files={"scan": ("original.jpg", certificate_jpeg(seed), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_ksu_verified_track_original_check_and_credit_waiver(stack, smtp_sink):
    async with httpx.AsyncClient(base_url=stack.url, timeout=20) as client:
        student = await login(client, "s1100003")  # 電機工程學系 (EE); its first IT certificate gets the waiver
        center = await login(client, "center")
        rev_ee = await login(client, "rev-ee")
        network = await catalog_entry(client, student, "comptia-network-plus", "CompTIA")
        assert network["category"] == 3 and network["it_certificate"] and network["bundle"] is None

        first = await register_and_confirm(
            client, smtp_sink, student, network, "合格", seed=411, email="e2e-ksu-1@student.test"
        )
        item = await queue_item(client, center, first, student="s1100003")
        assert item["track"] == "verified" and item["status"] == "submitted"
        assert item["original_url"] is None and item["original_checked_at"] is None
        assert all(line["passed"] for line in item["checklist"]), item["checklist"]

        too_early = await decide(client, center, first)
        assert too_early.status_code == 409, too_early.text
        assert too_early.json()["error"]["code"] == "original_required"
        assert await certificate_status(client, student, first) == "submitted"

        original = await upload_original(client, center, first, seed=412)
        assert original["status"] == "verifying" and original["original_checked_by"]
        await wait_for_status(client, student, first, "verifying")
        assert (await queue_item(client, center, first, status="verifying"))["original_checked_at"]

        passed = await decide(client, center, first)
        assert passed.status_code == 200, passed.text
        assert passed.json()["outcome"] == "credit_pending"
        await wait_for_status(client, student, first, "credit_pending")
        await wait_for_review_status(client, center, first, "credit_pending")

        not_center = await decide(client, rev_ee, first)
        assert not_center.status_code == 403, "only the centre confirms the registrar's recording"
        recorded_by_registrar = await decide(client, center, first, reason="註冊組已登錄抵免")
        assert recorded_by_registrar.status_code == 200, recorded_by_registrar.text
        assert recorded_by_registrar.json()["outcome"] == "approved"
        await wait_for_status(client, student, first, "approved")

        security = await catalog_entry(client, student, "comptia-security-plus", "CompTIA")
        second = await register_and_confirm(
            client, smtp_sink, student, security, "合格", seed=413, email="e2e-ksu-2@student.test"
        )
        await queue_item(client, center, second, student="s1100003")
        await upload_original(client, center, second, seed=414)
        await wait_for_status(client, student, second, "verifying")
        later = await decide(client, center, second)
        assert later.status_code == 200, later.text
        assert later.json()["outcome"] == "recorded", "the student already had one IT certificate credited"
        await wait_for_status(client, student, second, "recorded")
        assert await certificate_status(client, student, first) == "approved"
