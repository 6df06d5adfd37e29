"""Students know what is next and staff see what they decide on, in the browser:

- an IT certificate on the `verified` track: once the mail confirmation lands, the student's open list
  refreshes by itself and shows the track's next step (「請攜帶正本至電算中心掃描」, the admin's text);
- the centre views the scan of the original it stored on the originals screen and from the review desk
  row; the department's reviewer opens it from the desk row too;
- the upload widget names a file's kind and size honestly (a 5-byte .txt: "TXT", "5 B", refused type);
- the student's catalog requests and the admin's answers (declined with its reason, accepted with a
  link to register).
Screenshots at 1366 and 390 px, zh-TW and English: test-artifacts/students-*.png."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import ARTIFACTS
from .ui import WAIT, days_ago, open_nav, register_certificate, scan_file, sign_in, sign_out, switch_user, until_visible

STUDENT = "s1100001"
EMAIL = f"{STUDENT}@demo.certhub.tw"
REFRESH_WAIT = 40_000  # the list looks again every ~15 s; events travel through the outbox first


def shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"students-{name}-{lang}-{width}.png"), full_page=True)
        page.get_by_test_id("lang-toggle").click()
        expect(page.locator("html")).to_have_attribute("lang", re.compile("^en") if lang == "zh" else "zh-TW")
    page.set_viewport_size({"width": 1366, "height": 900})


def _confirm_by_mail(page, issued_on: str) -> None:
    """In a second tab: the standalone mailbox; the confirmation link whose page shows this issue date is
    confirmed (the student may have older confirmation mails)."""
    mailbox = page.context.new_page()
    mailbox.goto(page.url.split("#")[0] + "#/mailbox")
    mailbox.get_by_test_id("mailbox-to").fill(EMAIL)
    mailbox.get_by_test_id("mailbox-filter").click()
    links = mailbox.locator("[data-testid=mail-item] [data-testid=mail-link][data-kind=confirm]")
    expect(links.first).to_be_visible(timeout=WAIT)
    for _ in range(20):
        for i in range(links.count()):
            with mailbox.context.expect_page() as opened:
                links.nth(i).click()
            link_page = opened.value
            link_page.wait_for_load_state()
            if link_page.locator("dl").count() and issued_on in link_page.locator("dl").inner_text():
                link_page.get_by_test_id("confirm-button").click()
                expect(link_page.locator("h1")).to_contain_text("Confirmed")
                link_page.close()
                mailbox.close()
                return
            link_page.close()
        mailbox.wait_for_timeout(1_000)
    raise AssertionError(f"no confirmation mail for the certificate issued on {issued_on}")


def test_the_track_next_step_arrives_by_itself_and_staff_view_the_original(page, system, tmp_path):
    sign_in(page, system, STUDENT)
    issued_on = days_ago(12)
    certificate_id = register_certificate(
        page,
        category="3",
        search="ITS",
        entry_text="Python",
        level_text=None,
        issued_on=issued_on,
        scan=scan_file(tmp_path, "its-next.jpg", 9101),
        certificate_no="ITS-NEXT-9101",
    )
    row = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    expect(row.get_by_test_id("cert-status")).to_have_attribute("data-status", "draft")
    expect(row.get_by_test_id("cert-next-step")).to_contain_text("確認信")

    _confirm_by_mail(page, issued_on)
    # no click: the list refreshes while it is shown
    expect(row.get_by_test_id("cert-status")).to_have_attribute("data-status", "submitted", timeout=REFRESH_WAIT)
    step = row.get_by_test_id("cert-next-step")
    expect(step).to_have_attribute("data-source", "track")
    expect(step).to_contain_text("請攜帶正本至電算中心掃描")
    assert_accessible(page, "student list with the track's next step")
    shots(page, "next-step")
    page.get_by_test_id("lang-toggle").click()
    expect(row.get_by_test_id("cert-next-step")).to_contain_text("Bring the original to the computer centre")
    page.get_by_test_id("lang-toggle").click()

    switch_user(page, system, "center")
    open_nav(page, "originals")
    waiting = page.locator(f"[data-testid=original-row][data-id='{certificate_id}']")
    until_visible(lambda: page.get_by_test_id("queue-search").click(), waiting)
    waiting.get_by_test_id("original-file").set_input_files(scan_file(tmp_path, "its-next-original.jpg", 9102))
    waiting.get_by_test_id("original-upload").click()
    expect(page.get_by_test_id("originals-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    scanned = page.locator(f"[data-testid=scanned-row][data-id='{certificate_id}']")
    until_visible(lambda: open_nav(page, "originals"), scanned)
    scanned.get_by_test_id("queue-view-original").click()
    expect(page.get_by_test_id("scan-image")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("scan-viewer-close").click()
    assert_accessible(page, "centre originals with the scanned list")
    shots(page, "originals")

    for who in ("rev-im", "center"):
        switch_user(page, system, who)
        open_nav(page, "review-queue")
        item = page.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")
        until_visible(lambda: page.get_by_test_id("queue-search").click(), item)
        original = item.get_by_test_id("queue-original")
        expect(original).to_have_attribute("data-viewable", "true", timeout=WAIT)
        original.click()  # from the row itself, without expanding it
        expect(page.get_by_test_id("scan-image")).to_be_visible(timeout=WAIT)
        page.get_by_test_id("scan-viewer-close").click()
    # decided, so the desk tests that count this student's open rows find only their own
    item.get_by_test_id("decision-reason").fill("正本查證無誤")
    item.get_by_test_id("decision-approved").click()
    expect(item.get_by_test_id("row-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    sign_out(page)


def test_the_upload_widget_names_kind_and_size(page, system, tmp_path):
    sign_in(page, system, "s1100002")
    open_nav(page, "cert-new")
    form = page.get_by_test_id("cert-form")
    expect(form.locator(f"label[for='{page.get_by_test_id('cert-scan').get_attribute('id')}'] .req")).to_be_visible()
    expect(form.locator(f"label[for='{page.get_by_test_id('cert-level').get_attribute('id')}'] .req")).to_have_count(1)
    tiny = tmp_path / "note.txt"
    tiny.write_bytes(b"hello")
    page.get_by_test_id("cert-scan").set_input_files(str(tiny))
    icon = page.get_by_test_id("cert-scan-icon")
    expect(icon).to_have_attribute("data-kind", "other")
    expect(icon).to_have_text("TXT")
    expect(page.get_by_test_id("cert-scan-name")).to_have_text("note.txt (5 B)")
    expect(page.get_by_test_id("cert-scan-type-warning")).to_be_visible()
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * (3072 - 9))
    page.get_by_test_id("cert-scan").set_input_files(str(pdf))
    expect(page.get_by_test_id("cert-scan-icon")).to_have_text("PDF")
    expect(page.get_by_test_id("cert-scan-name")).to_have_text("scan.pdf (3.0 KiB)")
    expect(page.get_by_test_id("cert-scan-type-warning")).to_have_count(0)
    sign_out(page)


def test_the_student_reads_the_answers_to_their_catalog_requests(page, system):
    run = str(time.time_ns())[-6:]  # names of this run's own (the system outlives a run of this test)
    accepted_name, declined_name = f"瀏覽器測試證照甲{run}", f"瀏覽器測試證照乙{run}"
    sign_in(page, system, "s1100002")
    open_nav(page, "catalog-request")
    for name in (accepted_name, declined_name):
        page.get_by_test_id("req-name").fill(name)
        page.get_by_test_id("req-issuer").fill("測試發照單位")
        page.get_by_test_id("req-submit").click()
        expect(page.get_by_test_id("my-request-row").filter(has_text=name)).to_have_attribute(
            "data-status", "pending", timeout=WAIT
        )

    switch_user(page, system, "admin")
    open_nav(page, "admin-requests")
    first = page.get_by_test_id("request-row").filter(has_text=accepted_name)
    first.get_by_test_id("request-category").select_option("5")
    first.get_by_test_id("request-accept").click()
    expect(page.get_by_test_id("requests-message")).to_have_class(re.compile("message-success"), timeout=WAIT)
    expect(first).to_have_count(0, timeout=WAIT)  # the pending list has been drawn again
    second = page.get_by_test_id("request-row").filter(has_text=declined_name)
    second.get_by_test_id("request-decline-reason").fill("目錄已有相同證照：請選「其他」")
    second.get_by_test_id("request-decline").click()
    expect(page.get_by_test_id("requests-message")).to_have_class(re.compile("message-success"), timeout=WAIT)

    switch_user(page, system, "s1100002")
    open_nav(page, "catalog-request")
    accepted = page.get_by_test_id("my-request-row").filter(has_text=accepted_name)
    expect(accepted).to_have_attribute("data-status", "accepted", timeout=WAIT)
    expect(accepted.get_by_test_id("my-request-register")).to_be_visible()
    declined = page.get_by_test_id("my-request-row").filter(has_text=declined_name)
    expect(declined).to_have_attribute("data-status", "declined")
    expect(declined.get_by_test_id("my-request-answer")).to_contain_text("目錄已有相同證照：請選「其他」")
    assert_accessible(page, "student catalog requests")
    shots(page, "catalog-requests")
    sign_out(page)
