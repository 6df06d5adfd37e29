"""The centre's MOE report, the admin's reason list and graduation thresholds, a student's rejection
with its fix instruction and their threshold progress — in the browser against the standalone system.
Screenshots at 1366 and 390 px, zh-TW and English: test-artifacts/school-*.png."""

from __future__ import annotations

import time
from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from tests.support.samples import certificate_jpeg

from .conftest import ARTIFACTS
from .ui import WAIT, open_nav, sign_in, switch_user

STUDENT = "s1100002"  # IM, cohort 110


def token(base: str, username: str) -> dict:
    answer = httpx.post(f"{base}/api/auth/dev-login", json={"username": username}).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def registered(base: str, seed: int) -> str:
    student = token(base, STUDENT)
    entry = httpx.get(f"{base}/api/catalog", params={"q": "全民英語"}, headers=student).json()
    entry = (entry["items"] if isinstance(entry, dict) else entry)[0]
    form = {
        "entry_id": entry["id"],
        "level_id": entry["levels"][1]["id"],
        "email": f"{STUDENT}@demo.certhub.tw",
        "issued_on": (date.today() - timedelta(days=seed)).isoformat(),
    }
    created = httpx.post(
        f"{base}/api/certificates",
        data=form,
        headers=student,
        files={"scan": ("scan.jpg", certificate_jpeg(seed), "image/jpeg")},
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


def decide(base: str, certificate_id: str, **body) -> None:
    reviewer = token(base, "rev-im")
    for _ in range(150):
        item = httpx.get(f"{base}/api/review/{certificate_id}", headers=reviewer)
        if item.status_code == 200:
            break
        time.sleep(0.1)
    answer = httpx.post(
        f"{base}/api/review/{certificate_id}/decision",
        headers=reviewer,
        json={**body, "version": item.json()["version"]},
    )
    assert answer.status_code == 200, answer.text


def shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        if lang == "en":
            page.get_by_test_id("lang-toggle").click()
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
            page.screenshot(path=str(ARTIFACTS / f"school-{name}-{lang}-{width}.png"), full_page=True)
    page.get_by_test_id("lang-toggle").click()  # back to zh-TW
    page.set_viewport_size({"width": 1280, "height": 900})


def test_rejection_reason_moe_report_and_graduation_threshold(page, system):
    rejected = registered(system, 20)
    approved = registered(system, 30)
    decide(system, rejected, decision="rejected", reason_code="unclear_copy", reason="右下角模糊")
    decide(system, approved, decision="approved", reason="符合")

    sign_in(page, system, "admin")
    open_nav(page, "admin-reasons")
    expect(page.get_by_test_id("reason-row")).to_have_count(5)
    shots(page, "reasons")
    open_nav(page, "admin-thresholds")
    page.get_by_test_id("thr-cohort").fill("110")
    page.get_by_test_id("thr-load").click()
    expect(page.get_by_test_id("thr-rules")).to_have_attribute("data-loaded", "IM/110")
    block = page.get_by_test_id("rule-block").first
    block.get_by_test_id("rule-name").fill("英語能力 CEFR B1 以上")
    block.get_by_test_id("rule-name-en").fill("English at CEFR B1 or above")
    block.get_by_test_id("alt-cefr").select_option("B1")
    page.get_by_test_id("thr-save").click()
    expect(page.get_by_test_id("thr-message")).to_contain_text("已存檔")
    expect(page.get_by_test_id("thr-existing")).to_contain_text("110")
    shots(page, "thresholds")

    switch_user(page, system, "center")
    open_nav(page, "moe-report")
    expect(page.get_by_test_id("moe-count-row").first).to_be_visible(timeout=WAIT)
    row = page.locator(f"[data-testid=moe-rows-table-row][data-id='{approved}']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("資訊管理學系")
    with page.expect_download() as download:
        page.get_by_test_id("moe-csv").click()
    assert download.value.suggested_filename.startswith("moe-certificates-")
    shots(page, "moe")

    switch_user(page, system, STUDENT)
    note = page.locator(f"[data-testid=cert-row][data-id='{rejected}'] [data-testid=cert-rejection]")
    expect(note).to_have_attribute("data-code", "unclear_copy", timeout=WAIT)
    expect(note.get_by_test_id("cert-rejection-instruction")).to_contain_text("請重新掃描")
    shots(page, "rejection")
    open_nav(page, "graduation")
    expect(page.get_by_test_id("grad-summary")).to_have_attribute("data-met", "true", timeout=WAIT)
    shots(page, "graduation")
