"""The student's pages on a phone (390×844, touch): nothing scrolls sideways, no control sticks out of
the screen, and the register form, the menu and the language switch work by tapping."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_failure_screenshot
from tests.browser.ui import WAIT, days_ago, open_nav, register_certificate, scan_file, sign_in

WIDTH, HEIGHT = 390, 844
STUDENT = "s1100003"  # 陳大文, EE: no other browser test uses this student

# Interactive or labelled things that stick out of the viewport (visually-hidden helpers excluded).
OFFENDERS = """(width) => [...document.querySelectorAll(
    'main a, main button, main input, main select, main textarea, main label, main img, main table, '
    + 'header a, header button')]
  .filter((el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') return false;
    if (el.closest('.visually-hidden, .skip-link')) return false;
    return r.left < -1 || r.right > width + 1;
  })
  .map((el) => `${el.tagName.toLowerCase()}[data-testid=${el.dataset.testid || ''}] `
    + el.textContent.trim().slice(0, 30))"""


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        locale="zh-TW",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    save_failure_screenshot(request, page)
    context.close()


def assert_fits(page, screen: str, ready: str) -> None:
    """``ready``: a selector that shows the screen's data has arrived (measured after it)."""
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(ready).first).to_be_attached(timeout=WAIT)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{screen}: the page scrolls sideways at phone width ({scroll_width}px)"
    offenders = page.evaluate(OFFENDERS, WIDTH)
    assert not offenders, f"{screen}: controls outside the screen: {offenders}"


def test_student_pages_work_at_phone_width(phone, system, tmp_path):
    page = phone
    sign_in(page, system, STUDENT)
    assert_fits(page, "my certificates (empty)", "[data-testid=cert-table]")

    # The menu is collapsed behind the toggle and opens by tapping.
    nav = page.get_by_test_id("nav-rewards-apply")
    expect(nav).to_be_hidden()
    page.get_by_test_id("nav-toggle").tap()
    expect(page.get_by_test_id("nav-toggle")).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.get_by_test_id("nav-toggle").tap()
    expect(nav).to_be_hidden()

    # Registering works on the phone: search suggestions, date, file, submit.
    open_nav(page, "cert-new")
    assert_fits(page, "register form", "[data-testid=cert-category] option >> nth=1")
    certificate_id = register_certificate(
        page,
        search="證券商業務員",
        entry_text="證券商業務員",
        level_text=None,
        issued_on=days_ago(10),
        scan=scan_file(tmp_path, "securities.jpg", 9101),
    )
    row = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    expect(row.get_by_test_id("cert-status")).to_have_attribute("data-status", "submitted")
    expect(row.get_by_test_id("cert-thumbnail")).to_have_attribute("data-state", "loaded", timeout=WAIT)
    expect(row.get_by_test_id("cert-edit")).to_be_visible()
    assert_fits(page, "my certificates (one row, as a card)", "[data-testid=cert-row]")

    # The scan viewer opens and closes by tapping.
    row.get_by_test_id("cert-view-scan").tap()
    expect(page.get_by_test_id("scan-image")).to_be_visible(timeout=WAIT)
    viewer = page.get_by_test_id("scan-viewer").bounding_box()
    assert viewer and viewer["x"] >= 0 and viewer["x"] + viewer["width"] <= WIDTH
    page.get_by_test_id("scan-viewer-close").tap()
    expect(page.get_by_test_id("scan-viewer")).to_have_count(0)

    # Editing form, the other student screens and the mailbox.
    row.get_by_test_id("cert-edit").tap()
    expect(page.get_by_test_id("cert-entry-search")).to_have_value(re.compile("證券商業務員"))
    assert_fits(page, "edit form", "[data-testid=cert-level]:enabled")
    for key, screen, ready in (
        ("catalog-request", "catalog request", "[data-testid=req-form]"),
        ("rewards-apply", "apply for a reward", "[data-testid=eligible-empty], [data-testid=eligible-standard]"),
        ("rewards-mine", "my applications", "[data-testid=app-table]"),
        ("mailbox", "mailbox", "[data-testid=mail-item], [data-testid=mail-list] .empty"),
    ):
        open_nav(page, key)
        assert_fits(page, screen, ready)
    expect(page.get_by_test_id("mailbox-refresh")).to_be_visible()

    # The English switch, and the longer English labels still fit.
    page.get_by_test_id("lang-toggle").tap()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^en"))
    open_nav(page, "certificates")
    expect(page.locator("main h1")).to_have_text(re.compile("[A-Za-z]"))
    assert_fits(page, "my certificates in English", "[data-testid=cert-row]")
    open_nav(page, "cert-new")
    assert_fits(page, "register form in English", "[data-testid=cert-category] option >> nth=1")
    page.get_by_test_id("lang-toggle").tap()
    expect(page.locator("html")).to_have_attribute("lang", "zh-TW")
