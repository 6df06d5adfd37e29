"""Small steps shared by the browser tests: signing in and out through the login screen,
dates in Taipei time, and sample files written to disk for <input type=file>."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.support.samples import certificate_jpeg

TAIPEI = timezone(timedelta(hours=8))
WAIT = 15_000  # ms: events travel through the outbox relay and the in-process bus


def sign_in(page: Page, base: str, username: str) -> None:
    """The demo user's button on the login screen (dev login)."""
    page.goto(base + "/#/login")
    page.get_by_test_id(f"login-user-{username}").click()
    expect(page.get_by_test_id("current-user")).to_have_attribute("data-username", username)


def sign_out(page: Page) -> None:
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-user-admin")).to_be_visible()


def switch_user(page: Page, base: str, username: str) -> None:
    sign_out(page)
    page.get_by_test_id(f"login-user-{username}").click()
    expect(page.get_by_test_id("current-user")).to_have_attribute("data-username", username)


def open_nav(page: Page, key: str) -> None:
    """A navigation entry; at phone width the menu is opened first."""
    link = page.get_by_test_id(f"nav-{key}")
    if not link.is_visible():
        page.get_by_test_id("nav-toggle").click()
    link.click()


def _until(check, refresh, attempts: int) -> None:
    for _ in range(attempts - 1):
        try:
            check(1_500)
            return
        except AssertionError:
            refresh()
    check(WAIT)


def until_status(refresh, badge: Locator, status: str, *, attempts: int = 12) -> None:
    """What a user does while an event is on its way: look again (``refresh()`` re-opens or re-searches
    the screen) until the badge shows ``status``. Each look is an auto-waiting expectation, no sleeps."""
    _until(lambda ms: expect(badge).to_have_attribute("data-status", status, timeout=ms), refresh, attempts)


def until_visible(refresh, locator: Locator, *, attempts: int = 12) -> None:
    """Like :func:`until_status`, for a row that appears once an event has been handled."""
    _until(lambda ms: expect(locator).to_be_visible(timeout=ms), refresh, attempts)


def now_taipei() -> datetime:
    return datetime.now(TAIPEI)


def days_ago(days: int) -> str:
    """A date for <input type=date> (YYYY-MM-DD), Taipei calendar."""
    return (now_taipei() - timedelta(days=days)).strftime("%Y-%m-%d")


def local_input(moment: datetime) -> str:
    """A value for <input type=datetime-local step=1> in Taipei time."""
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%dT%H:%M:%S")


def scan_file(folder: Path, name: str, seed: int) -> str:
    path = folder / name
    path.write_bytes(certificate_jpeg(seed))
    return str(path)


def register_certificate(
    page: Page,
    *,
    category: str = "",
    search: str,
    entry_text: str,
    level_text: str | None,
    issued_on: str,
    scan: str,
    certificate_no: str = "",
) -> str:
    """Fills and sends the registration form; returns the new certificate's id from the list."""
    open_nav(page, "cert-new")
    if category:
        page.get_by_test_id("cert-category").select_option(category)
    page.get_by_test_id("cert-entry-search").fill(search)
    page.get_by_test_id("cert-entry-option").filter(has_text=entry_text).first.click()
    level = page.get_by_test_id("cert-level")
    expect(level).to_be_enabled()
    if level_text:
        value = level.locator("option", has_text=level_text).first.get_attribute("value")
        level.select_option(value=value)
    page.get_by_test_id("cert-issued-on").fill(issued_on)
    if certificate_no:
        page.get_by_test_id("cert-certificate-no").fill(certificate_no)
    page.get_by_test_id("cert-scan").set_input_files(scan)
    expect(page.get_by_test_id("cert-scan-preview").locator("img")).to_be_visible()
    page.get_by_test_id("cert-submit").click()
    expect(page.get_by_test_id("flash")).not_to_be_empty(timeout=WAIT)
    row = page.get_by_test_id("cert-row").filter(has_text=entry_text).first
    expect(row).to_be_visible(timeout=WAIT)
    return row.get_attribute("data-id")


def provider_sign_in(page: Page, username: str, password: str = "demo") -> None:
    """The provider's own sign-in page (tests/support/oidc): credentials typed as a person would."""
    expect(page.locator("#op-username")).to_be_visible(timeout=WAIT)
    page.locator("#op-username").fill(username)
    page.locator("#op-password").fill(password)
    page.locator("#op-submit").click()


def sign_in_at_provider(page: Page, base: str, username: str) -> None:
    """From the app's start page through the school's sign-in and back, signed in."""
    page.goto(base + "/")
    page.get_by_test_id("login-oidc").click()
    provider_sign_in(page, username)
    expect(page.get_by_test_id("current-user")).to_have_attribute("data-username", username, timeout=WAIT)
