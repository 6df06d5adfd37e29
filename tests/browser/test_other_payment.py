"""An "other" payment method in the browser: the application is prepared over the gateway API (an
approved certificate, the window open, the application, "other" with its reason); then the centre
opens the history query, reads the student's reason in the confirmation dialog and acknowledges it —
only after that does the department's 初審 pass."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import expect

from tests.browser.ui import WAIT, days_ago, now_taipei, open_nav, sign_in
from tests.support.samples import certificate_jpeg

STUDENT = "s1100003"  # 陳大文 (EE); the phone-width test registers certificates only
REASON = "本人無存款帳號（browser test）"


def _token(client: httpx.Client, username: str) -> dict:
    token = client.post("/api/auth/dev-login", json={"username": username}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _eventually(probe, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def _prepared_application(base: str) -> str:
    """Certificate → approved by rev-ee → this year's window open → application with "other"."""
    with httpx.Client(base_url=base, timeout=20) as client:
        student, reviewer, admin = (_token(client, u) for u in (STUDENT, "rev-ee", "admin"))
        entry = next(
            e
            for e in client.get("/api/catalog", params={"q": "人身保險業務員"}, headers=student).json()["items"]
            if e["key"] == "life-insurance-agent"
        )
        cert = client.post(
            "/api/certificates",
            headers=student,
            data={
                "entry_id": entry["id"],
                "level_id": entry["levels"][0]["id"],
                "issued_on": days_ago(20),
                "email": f"{STUDENT}@demo.certhub.tw",
            },
            files={"scan": ("s.jpg", certificate_jpeg(8101), "image/jpeg")},
        ).json()
        item = _eventually(
            lambda: (r := client.get(f"/api/review/{cert['id']}", headers=reviewer)).status_code == 200 and r.json()
        )
        decided = client.post(
            f"/api/review/{cert['id']}/decision",
            headers=reviewer,
            json={"decision": "approved", "reason": "browser test", "version": item["version"]},
        )
        assert decided.status_code == 200, decided.text
        now = now_taipei()
        year = now.year - 1911 - (1 if now.month < 8 else 0)
        window = client.put(
            f"/api/rewards/windows/{year}",
            headers=admin,
            json={
                "opens_at": f"{now.year - 1}-08-01T00:00:00+08:00",
                "closes_at": f"{now.year + 1}-07-31T00:00:00+08:00",
            },
        )
        assert window.status_code == 200, window.text
        standard = next(
            s
            for s in client.get("/api/rewards/standards", params={"year": year}, headers=student).json()
            if s["name"] == "保險業務員"
        )
        applied = _eventually(
            lambda: (
                (
                    r := client.post(
                        "/api/rewards/applications",
                        headers=student,
                        json={"standard_id": standard["id"], "certificate_ids": [cert["id"]]},
                    )
                ).status_code
                == 201
                and r.json()
            )
        )
        assert applied, "the certificate never became eligible"
        other = client.put(
            f"/api/rewards/applications/{applied['id']}/bank-account",
            headers=student,
            data={"method": "other", "postal_code": "900", "address": "屏東縣屏東市", "other_reason": REASON},
        )
        assert other.status_code == 200, other.text
        waiting = client.post(
            f"/api/rewards/applications/{applied['id']}/first-review", headers=reviewer, json={"result": "Y"}
        )
        assert waiting.status_code == 409 and waiting.json()["error"]["code"] == "other_payment_unacknowledged"
        return applied["id"]


def test_the_centre_acknowledges_an_other_payment_before_the_first_review(page, system):
    application_id = _prepared_application(system)
    sign_in(page, system, "center")
    open_nav(page, "query")
    row = page.locator(f"[data-testid=query-row][data-id='{application_id}']")
    expect(row.get_by_test_id("app-bank")).to_contain_text("待職輔組確認", timeout=WAIT)
    shown = []
    page.once("dialog", lambda dialog: (shown.append(dialog.message), dialog.accept()))
    row.get_by_test_id("query-acknowledge-other").click()
    expect(page.get_by_test_id("query-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    assert shown and REASON in shown[0]
    row = page.locator(f"[data-testid=query-row][data-id='{application_id}']")
    expect(row.get_by_test_id("app-bank")).to_contain_text("職輔組已確認", timeout=WAIT)
    expect(row.get_by_test_id("query-acknowledge-other")).to_have_count(0)
    with httpx.Client(base_url=system, timeout=20) as client:
        passed = client.post(
            f"/api/rewards/applications/{application_id}/first-review",
            headers=_token(client, "rev-ee"),
            json={"result": "Y"},
        )
    assert passed.status_code == 200 and passed.json()["status"] == "first_passed", passed.text
