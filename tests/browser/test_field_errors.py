"""A 422 about one field is shown next to that field, in the user's language (web/api.js errorFrom →
dom.js showFieldErrors), and the form keeps what was typed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.ui import days_ago, scan_file, sign_in

STUDENT = "s1100002"  # 李小華: the refused registration creates nothing


def test_a_score_outside_the_levels_range_is_shown_at_the_score_field(page, system, tmp_path):
    sign_in(page, system, STUDENT)
    page.get_by_test_id("nav-cert-new").click()
    page.get_by_test_id("cert-entry-search").fill("多益")
    page.get_by_test_id("cert-entry-option").filter(has_text="聽力與閱讀").first.click()
    page.get_by_test_id("cert-level").select_option(index=1)  # every TOEIC level starts at 10 or more
    page.get_by_test_id("cert-score").fill("5")
    page.get_by_test_id("cert-issued-on").fill(days_ago(30))
    page.get_by_test_id("cert-email").fill(f"{STUDENT}@demo.certhub.tw")
    page.get_by_test_id("cert-scan").set_input_files(scan_file(tmp_path, "toeic.jpg", 7))
    page.get_by_test_id("cert-submit").click()

    score = page.get_by_test_id("cert-score")
    message = page.locator(".field", has=score).locator(".field-error")
    expect(message).to_have_text(re.compile(r"^分數 5 不在「.+」的範圍（\d+–\d+）內$"))
    expect(score).to_have_attribute("aria-invalid", "true")
    described = score.get_attribute("aria-describedby") or ""
    assert message.get_attribute("id") in described.split()
    expect(score).to_have_value("5")
    expect(page.get_by_test_id("cert-email")).not_to_have_attribute("aria-invalid", "true")
