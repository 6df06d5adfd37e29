"""A student registers a certificate in the browser; the department reviewer approves it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.ui import open_nav, until_status, until_visible
from tests.support.samples import certificate_jpeg


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.get_by_test_id(f"login-user-{username}").click()
    expect(page.get_by_test_id("current-user")).to_have_attribute("data-username", username)


def test_student_registers_and_reviewer_approves(page, system, tmp_path):
    scan = tmp_path / "gept.jpg"
    scan.write_bytes(certificate_jpeg(42))
    sign_in(page, system, "s1100001")
    page.get_by_test_id("nav-cert-new").click()
    page.get_by_test_id("cert-entry-search").fill("全民英語")
    page.get_by_test_id("cert-entry-option").first.click()
    page.get_by_test_id("cert-level").select_option(index=1)
    page.get_by_test_id("cert-score").fill("")
    page.get_by_test_id("cert-issued-on").fill("2026-10-01")
    page.get_by_test_id("cert-email").fill("s1100001@demo.certhub.tw")
    page.get_by_test_id("cert-scan").set_input_files(str(scan))
    page.get_by_test_id("cert-submit").click()
    row = page.get_by_test_id("cert-row").first
    expect(row).to_be_visible(timeout=15000)
    expect(row.get_by_test_id("cert-status")).to_have_attribute("data-status", "submitted")
    certificate_id = row.get_attribute("data-id")

    page.get_by_test_id("logout").click()
    sign_in(page, system, "rev-im")
    page.get_by_test_id("nav-review-queue").click()
    item = page.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")
    until_visible(lambda: page.get_by_test_id("queue-search").click(), item)
    item.get_by_test_id("decision-approved").click()
    expect(item.get_by_test_id("row-message")).not_to_be_empty(timeout=15000)

    page.get_by_test_id("logout").click()
    sign_in(page, system, "s1100001")
    page.get_by_test_id("nav-certificates").click()
    mine = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    until_status(lambda: open_nav(page, "certificates"), mine.get_by_test_id("cert-status"), "approved")
