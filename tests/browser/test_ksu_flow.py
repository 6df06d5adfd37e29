"""The KSU IT-certificate flow in the browser:

student registers an IT certificate (category 3, `verified` track: confirmation by mail) → the
confirmation link is clicked in the standalone mailbox page → confirmed on the link's page →
the centre uploads the scan of the original (查證 → verifying) → approves it in the queue →
the student's list shows 抵免中 (credit_pending, the first passing IT certificate).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.ui import (
    WAIT,
    days_ago,
    open_nav,
    register_certificate,
    scan_file,
    sign_in,
    sign_out,
    switch_user,
    until_status,
    until_visible,
)

STUDENT = "s1100001"
EMAIL = f"{STUDENT}@demo.certhub.tw"


def test_ksu_it_certificate_confirm_by_mail_original_scan_credit_pending(page, system, tmp_path):
    # 1. Register ITS Python (資訊, IT certificate): it waits for the mail confirmation.
    sign_in(page, system, STUDENT)
    certificate_id = register_certificate(
        page,
        category="3",
        search="ITS",
        entry_text="Python",
        level_text=None,
        issued_on=days_ago(20),
        scan=scan_file(tmp_path, "its-python.jpg", 8101),
        certificate_no="ITS-PY-8101",
    )
    row = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    expect(row.get_by_test_id("cert-status")).to_have_attribute("data-status", "draft")
    expect(row.get_by_test_id("cert-resend")).to_be_visible()
    sign_out(page)

    # 2. The standalone mailbox (linked from the login screen) shows the mail; its link is clicked.
    page.get_by_test_id("login-mailbox-link").click()
    page.get_by_test_id("mailbox-to").fill(EMAIL)
    page.get_by_test_id("mailbox-filter").click()
    mail = page.get_by_test_id("mail-item").filter(has=page.locator("[data-testid=mail-link][data-kind=confirm]")).first
    expect(mail).to_be_visible(timeout=WAIT)  # the page refreshes itself until the mail is there
    expect(mail).to_have_attribute("data-to", EMAIL)
    with page.context.expect_page() as opened:
        mail.locator("[data-testid=mail-link][data-kind=confirm]").first.click()
    confirm_page = opened.value
    expect(confirm_page.locator("h1")).to_contain_text("確認證照登錄")
    expect(confirm_page.locator("dl")).to_contain_text("Python")
    confirm_page.get_by_test_id("confirm-button").click()
    expect(confirm_page.locator("h1")).to_contain_text("Confirmed")
    confirm_page.close()

    # 3. The student sees it submitted.
    sign_in(page, system, STUDENT)
    open_nav(page, "certificates")
    until_status(lambda: open_nav(page, "certificates"), row.get_by_test_id("cert-status"), "submitted")

    # 4. The centre scans the original (查證): submitted → verifying.
    switch_user(page, system, "center")
    open_nav(page, "originals")
    waiting = page.locator(f"[data-testid=original-row][data-id='{certificate_id}']")
    until_visible(lambda: page.get_by_test_id("queue-search").click(), waiting)
    waiting.get_by_test_id("original-file").set_input_files(scan_file(tmp_path, "original.jpg", 8102))
    waiting.get_by_test_id("original-upload").click()
    expect(page.get_by_test_id("originals-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    expect(waiting).to_have_count(0)

    # 5. The centre approves it in the queue; the credit-waiver track makes it credit_pending.
    open_nav(page, "review-queue")
    item = page.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")
    expect(item.get_by_test_id("queue-original")).to_be_visible(timeout=WAIT)
    until_status(lambda: page.get_by_test_id("queue-search").click(), item.get_by_test_id("queue-status"), "verifying")
    item.get_by_test_id("queue-expand").click()
    expect(item.get_by_test_id("queue-checklist")).to_be_visible()
    item.get_by_test_id("decision-reason").fill("正本查證無誤")
    item.get_by_test_id("decision-approved").click()
    expect(item.get_by_test_id("row-message")).to_have_class(re.compile("message-success"), timeout=WAIT)

    # 6. The student's list shows 抵免中.
    switch_user(page, system, STUDENT)
    open_nav(page, "certificates")
    status = row.get_by_test_id("cert-status")
    until_status(lambda: open_nav(page, "certificates"), status, "credit_pending")
    expect(status).to_have_text("抵免中")
    sign_out(page)
