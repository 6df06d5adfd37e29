"""The signed record in the browser: the student sees it on an approved certificate (download, QR
code, share link); anyone opens the verify page — zh-TW and English, desktop and phone width — and
after the centre revokes it the same page says 已撤銷 with the reason. Screenshots go to
test-artifacts/verify-*.png."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.ui import open_nav, sign_in, until_visible
from tests.support.samples import certificate_jpeg

STUDENT = "s1100003"  # this test's own demo student (EE)


def token(base: str, username: str) -> dict:
    answer = httpx.post(f"{base}/api/auth/dev-login", json={"username": username}).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def eventually_sync(check, attempts: int = 100) -> None:
    import time

    for _ in range(attempts):
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met")


def approved_certificate(base: str) -> str:
    student = token(base, STUDENT)
    entry = httpx.get(f"{base}/api/catalog", params={"q": "全民英語"}, headers=student).json()
    entry = (entry["items"] if isinstance(entry, dict) else entry)[0]
    form = {
        "entry_id": entry["id"],
        "level_id": entry["levels"][1]["id"],
        "email": f"{STUDENT}@demo.certhub.tw",
        "issued_on": (date.today() - timedelta(days=10)).isoformat(),
    }
    created = httpx.post(
        f"{base}/api/certificates",
        data=form,
        headers=student,
        files={"scan": ("scan.jpg", certificate_jpeg(77), "image/jpeg")},
    )
    assert created.status_code == 201, created.text
    certificate_id = created.json()["id"]
    reviewer = token(base, "rev-ee")
    eventually_sync(lambda: httpx.get(f"{base}/api/review/{certificate_id}", headers=reviewer).status_code == 200)
    shown = httpx.get(f"{base}/api/review/{certificate_id}", headers=reviewer).json()
    decided = httpx.post(
        f"{base}/api/review/{certificate_id}/decision",
        headers=reviewer,
        json={"decision": "approved", "reason": "符合", "version": shown["version"]},
    )
    assert decided.status_code == 200, decided.text
    return certificate_id


def shots(page, name: str) -> None:
    """Desktop and phone width; neither may scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
        page.screenshot(path=str(ARTIFACTS / f"verify-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{name} scrolls"


def test_record_qr_and_verify_page_then_revoked(page, system):
    certificate_id = approved_certificate(system)
    sign_in(page, system, STUDENT)  # waits until signed in: the menu is drawn for the student
    open_nav(page, "certificates")
    row = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    cell = row.get_by_test_id("cred-cell")
    until_visible(lambda: open_nav(page, "certificates"), cell)
    expect(cell.get_by_test_id("cred-download")).to_have_text("下載數位證明")
    expect(cell.get_by_test_id("cred-qr")).to_be_visible()
    verify_url = cell.get_by_test_id("cred-share").get_attribute("href")
    public_id = cell.get_attribute("data-id")
    assert verify_url.endswith(f"/verify/{public_id}")
    ARTIFACTS.mkdir(exist_ok=True)
    row.screenshot(path=str(ARTIFACTS / "verify-student-row.png"))

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(verify_url)
    expect(page.locator("#state")).to_have_attribute("data-state", "active")
    expect(page.locator("#state h2")).to_contain_text("有效")
    for check in ("signature", "issuer-key", "status-list"):
        expect(page.locator(f"[data-check={check}]")).to_have_class("check ok")
    shots(page, "valid-zh")
    page.goto(verify_url + "?lang=en")
    expect(page.locator("#state h2")).to_contain_text("Valid")
    shots(page, "valid-en")

    centre = token(system, "center")
    answer = httpx.post(
        f"{system}/api/credentials/{public_id}/revoke", headers=centre, json={"reason": "發照單位通知此證照已註銷"}
    )
    assert answer.status_code == 200, answer.text
    page.goto(verify_url)
    expect(page.locator("#state")).to_have_attribute("data-state", "revoked")
    expect(page.locator("#state")).to_contain_text("已撤銷")
    expect(page.locator("#state")).to_contain_text("發照單位通知此證照已註銷")
    expect(page.locator("[data-check=status-list]")).to_have_class("check ok")
    shots(page, "revoked-zh")
    page.goto(verify_url + "?lang=en")
    expect(page.locator("#state h2")).to_contain_text("Revoked")
    shots(page, "revoked-en")
    assert not [e for e in errors if "Content Security Policy" in e], errors
