"""Class roster in the browser: a department reviewer checks a roster (dry run), fixes it and confirms;
the student completes the pre-registered certificate with one scan. Screenshots
test-artifacts/roster-*.png (1366 and 390 px, zh-TW and English)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.ui import days_ago, open_nav, scan_file, sign_in, switch_user


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"roster-{name}.png"), full_page=True)


def english(page, on: bool) -> None:
    want = re.compile("^en") if on else re.compile("^zh")
    if not want.match(page.locator("html").get_attribute("lang") or ""):
        toggle = page.get_by_test_id("lang-toggle")
        if not toggle.is_visible():
            page.get_by_test_id("nav-toggle").click()
        toggle.click()
    expect(page.locator("html")).to_have_attribute("lang", want)


def check(page, roster, rows: int):
    """Open the roster screen, choose the file and run the dry run."""
    open_nav(page, "rosters")
    page.get_by_test_id("roster-file").set_input_files(str(roster))
    page.get_by_test_id("roster-dry-run").click()
    expect(page.get_by_test_id("roster-row")).to_have_count(rows)


def test_reviewer_files_a_roster_and_the_student_completes_it(page, system, tmp_path):
    number = f"R-{tmp_path.name[-6:]}"
    bad = tmp_path / "roster-bad.csv"
    bad.write_text(
        f"學號,證照,級別,分數,發證日期,證照字號\ns1100002,DEMO-0001,中級,,{days_ago(30)},{number}\n"
        f"s1100002,NO-SUCH,,,{days_ago(30)},X\n",
        encoding="utf-8",
    )
    good = tmp_path / "roster.csv"
    good.write_text(
        f"student_no,entry,level,score,issued_on,certificate_no\ns1100002,DEMO-0001,中級,,{days_ago(30)},{number}\n",
        encoding="utf-8",
    )

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, system, "rev-im")
    check(page, bad, 2)
    rows = page.get_by_test_id("roster-row")
    expect(rows.nth(0)).to_have_attribute("data-status", "ok")
    expect(rows.nth(1)).to_have_attribute("data-status", "unknown_entry")
    expect(page.get_by_test_id("roster-confirm")).to_be_disabled()
    shot(page, "dry-run-1366-zh")
    english(page, True)
    check(page, bad, 2)
    shot(page, "dry-run-1366-en")
    english(page, False)

    check(page, good, 1)
    page.get_by_test_id("roster-confirm").click()
    expect(page.get_by_test_id("roster-message")).to_contain_text("已建立 1 筆")
    page.get_by_test_id("roster-dry-run").click()  # the same roster again: nothing new
    expect(page.get_by_test_id("roster-row").first).to_have_attribute("data-status", "exists")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "again-390-zh")
    switch_user(page, system, "s1100002")
    open_nav(page, "certificates")
    prefill = page.get_by_test_id("prefill-row").filter(has_text="中級")
    expect(page.get_by_test_id("prefill-section")).to_be_visible()
    shot(page, "student-390-zh")
    english(page, True)
    expect(page.get_by_test_id("prefill-section")).to_be_visible()
    shot(page, "student-390-en")
    english(page, False)
    open_nav(page, "certificates")
    page.get_by_test_id("prefill-row").first.get_by_test_id("prefill-scan").set_input_files(
        scan_file(tmp_path, "scan.jpg", 7)
    )
    expect(page.get_by_test_id("cert-list-message")).to_contain_text("已完成登錄")
    expect(page.get_by_test_id("prefill-section")).to_be_hidden()
    expect(prefill).to_have_count(0)
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "student-done-1366-zh")
