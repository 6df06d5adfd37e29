"""The NPTU flow in the browser, every step through the screens (B362 + B363):

student registers a non-IT certificate with a scan → the IM reviewer approves it (checklist
shown) → the admin opens this academic year's reward window → the student applies (standard,
unused certificate) and gives a post-office account with the passbook scan → 初審 Y → 複審 Y →
the student's history shows it → the centre batches and pays it → the student sees 已撥款.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.ui import (
    WAIT,
    days_ago,
    local_input,
    now_taipei,
    open_nav,
    register_certificate,
    scan_file,
    sign_in,
    sign_out,
    switch_user,
    until_status,
    until_visible,
)

STUDENT = "s1100002"  # 李小華, IM; the other tests of the suite use other students
POST_ACCOUNT = "00012340567890"  # 14 digits, as the post office's accounts are


def open_reward_window(page) -> None:
    """Admin: the window of the current academic year opens now (unless it is already open)."""
    open_nav(page, "admin-windows")
    banner = page.get_by_test_id("window-banner")
    expect(banner).to_have_attribute("data-open", re.compile("true|false"), timeout=WAIT)
    if banner.get_attribute("data-open") == "true":
        return
    now = now_taipei()
    page.get_by_test_id("window-opens").fill(local_input(now - timedelta(days=1)))
    page.get_by_test_id("window-closes").fill(local_input(now + timedelta(days=29)))
    page.get_by_test_id("window-save").click()
    expect(page.get_by_test_id("window-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    expect(page.get_by_test_id("window-banner")).to_have_attribute("data-open", "true", timeout=WAIT)


def test_nptu_register_review_apply_bank_reviews_history_payout(page, system, tmp_path):
    # 1. The student registers 全民英檢中高級 with a scan of the certificate.
    sign_in(page, system, STUDENT)
    certificate_id = register_certificate(
        page,
        search="全民英語",
        entry_text="全民英語能力分級檢定測驗",
        level_text="中高級",
        issued_on=days_ago(30),
        scan=scan_file(tmp_path, "gept-b2.jpg", 7001),
        certificate_no="GEPT-B2-7001",
    )
    mine = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    expect(mine.get_by_test_id("cert-status")).to_have_attribute("data-status", "submitted", timeout=WAIT)
    expect(mine.get_by_test_id("cert-thumbnail")).to_have_attribute("data-state", "loaded", timeout=WAIT)

    # 2. The IM department reviewer approves it in the queue, with the rule checklist in view.
    switch_user(page, system, "rev-im")
    open_nav(page, "review-queue")
    item = page.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")
    until_visible(lambda: page.get_by_test_id("queue-search").click(), item)
    item.get_by_test_id("queue-expand").click()
    checklist = item.get_by_test_id("queue-checklist")
    expect(checklist).to_be_visible()
    expect(checklist.locator("li[data-rule=reporting_window]")).to_have_attribute("data-passed", "true")
    item.get_by_test_id("decision-reason").fill("符合系所認定 (browser test)")
    item.get_by_test_id("decision-approved").click()
    expect(item.get_by_test_id("row-message")).to_have_class(re.compile("message-success"), timeout=WAIT)

    # 3. The admin opens the application window of the current academic year.
    switch_user(page, system, "admin")
    open_reward_window(page)

    # 4. The student applies: the suggested standard, ticking the unused certificate.
    switch_user(page, system, STUDENT)
    open_nav(page, "certificates")
    until_status(lambda: open_nav(page, "certificates"), mine.get_by_test_id("cert-status"), "approved")
    open_nav(page, "rewards-apply")
    expect(page.get_by_test_id("window-banner")).to_have_attribute("data-open", "true", timeout=WAIT)
    card = page.get_by_test_id("eligible-standard").filter(has_text="全民英檢中高級")
    until_visible(lambda: open_nav(page, "rewards-apply"), card)
    submit = card.get_by_test_id("apply-submit")
    expect(submit).to_be_disabled()
    card.locator(f"[data-testid=eligible-cert][data-id='{certificate_id}']").check()
    expect(card.get_by_test_id("eligible-counter")).to_have_text(re.compile("1.*1"))
    submit.click()

    # 5. Level 2: the bank-account form follows; post office, 7000021 filled in, passbook scan.
    form = page.get_by_test_id("bank-form")
    expect(form).to_be_visible(timeout=WAIT)
    application_id = re.search(r"/rewards/applications/([^/]+)/bank", page.url).group(1)
    page.get_by_test_id("bank-code").fill("0040174")  # the bank's name is echoed from the code typed
    expect(page.get_by_test_id("bank-code-echo")).to_contain_text("臺灣銀行")
    expect(page.get_by_test_id("bank-code-echo")).to_contain_text("0174")
    page.get_by_test_id("bank-code").fill("9990001")
    expect(page.get_by_test_id("bank-code-echo")).to_contain_text("查無總行代號 999")
    expect(page.get_by_test_id("bank-code-source")).to_have_attribute(
        "href", re.compile(r"^https://www\.fisc\.com\.tw/")
    )
    expect(form.locator("label", has_text="帳號").locator(".req")).to_be_visible()  # required marker
    page.get_by_test_id("bank-method-post").check()
    expect(page.get_by_test_id("bank-code")).to_have_value("7000021")
    expect(page.get_by_test_id("bank-code-echo")).to_contain_text("中華郵政")
    expect(form).to_contain_text("選擇「郵局匯款」")  # the hint names the option as it is labelled
    page.get_by_test_id("bank-account-no").fill(POST_ACCOUNT)
    expect(page.get_by_test_id("bank-account-name")).to_have_value("李小華")
    page.get_by_test_id("bank-postal-code").fill("900")
    page.get_by_test_id("bank-address").fill("屏東縣屏東市民生路4-18號")
    page.get_by_test_id("bank-passbook").set_input_files(scan_file(tmp_path, "passbook.jpg", 7002))
    page.get_by_test_id("bank-submit").click()
    row = page.locator(f"[data-testid=app-row][data-id='{application_id}']")
    expect(row).to_be_visible(timeout=WAIT)
    expect(row.get_by_test_id("app-status")).to_have_attribute("data-status", "submitted")
    expect(row.get_by_test_id("app-bank")).to_contain_text("7000021")
    expect(row.get_by_test_id("app-bank")).to_contain_text("7890")
    expect(row.get_by_test_id("app-bank")).not_to_contain_text(POST_ACCOUNT)
    open_nav(page, "certificates")  # the certificate names the application it is used in
    used = mine.get_by_test_id("cert-used-in-app")
    expect(used).to_contain_text("全民英檢中高級", timeout=WAIT)
    expect(used).to_have_attribute("data-application", application_id)

    # 6. 初審 Y by the department reviewer.
    switch_user(page, system, "rev-im")
    open_nav(page, "first-review")
    first = page.locator(f"[data-testid=first-review-row][data-id='{application_id}']")
    expect(first).to_be_visible(timeout=WAIT)
    first.get_by_test_id("first-review-Y").click()
    expect(page.get_by_test_id("first-review-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    expect(first).to_have_count(0)

    # 7. 複審 Y by the centre.
    switch_user(page, system, "center")
    open_nav(page, "second-review")
    second = page.locator(f"[data-testid=second-review-row][data-id='{application_id}']")
    expect(second).to_be_visible(timeout=WAIT)
    second.get_by_test_id("second-review-passbook").click()  # the centre decides with the passbook cover in view
    expect(page.get_by_test_id("scan-image")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("scan-viewer-close").click()
    second.get_by_test_id("second-review-note").fill("文件齊全")
    second.get_by_test_id("second-review-Y").click()
    expect(page.get_by_test_id("second-review-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    expect(second).to_have_count(0)

    # 8. The student's history shows both reviews passed (待撥款).
    switch_user(page, system, STUDENT)
    open_nav(page, "rewards-mine")
    expect(row.get_by_test_id("app-status")).to_have_attribute("data-status", "second_passed", timeout=WAIT)
    expect(row).to_contain_text("全民英檢中高級")
    expect(row).to_contain_text("林審核")
    expect(row).to_contain_text("職輔組")
    expect(row.get_by_test_id("app-edit")).to_have_count(0)  # no edits once 初審 passed

    # 9. The centre puts it in a payout batch (the batch lists its applications) and marks it paid.
    switch_user(page, system, "center")
    open_nav(page, "payouts")
    candidate = page.locator(f"[data-testid=payout-candidate][data-id='{application_id}']")
    expect(candidate).to_be_visible(timeout=WAIT)
    candidate.get_by_test_id("payout-passbook").click()  # the passbook cover beside the account paid to
    expect(page.get_by_test_id("scan-image")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("scan-viewer-close").click()
    candidate.get_by_test_id("payout-select").check()
    page.get_by_test_id("payout-create").click()
    expect(page.get_by_test_id("payout-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    batch = page.get_by_test_id("payout-batch").filter(
        has=page.locator(f"[data-testid=payout-batch-application][data-id='{application_id}']")
    )
    expect(batch).to_have_attribute("data-paid", "false")
    expect(batch.get_by_test_id("payout-batch-name")).to_have_text(re.compile(r"^\d{2,3}學年第\d+批$"))  # not an id
    expect(page.get_by_test_id("payout-message")).to_contain_text("學年第")
    expect(candidate).to_have_count(0)  # batched: no longer offered
    batch.get_by_test_id("payout-paid").click()
    batch.get_by_test_id("payout-paid-confirm").click()
    expect(
        page.get_by_test_id("payout-batch").filter(
            has=page.locator(f"[data-testid=payout-batch-application][data-id='{application_id}']")
        )
    ).to_have_attribute("data-paid", "true", timeout=WAIT)

    # 10. The student sees 已撥款.
    switch_user(page, system, STUDENT)
    open_nav(page, "rewards-mine")
    status = row.get_by_test_id("app-status")
    expect(status).to_have_attribute("data-status", "paid", timeout=WAIT)
    expect(status).to_have_text("已撥款")
    sign_out(page)
