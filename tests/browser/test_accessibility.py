"""axe-core on every screen each demo role can open from the navigation (zh-TW and English at 1366 px,
zh-TW at 390 px): no serious or critical violation. The screens are opened as a person would, from
the menu; each is checked once its heading is shown and its loading has settled."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from tests.browser.ui import open_nav, sign_in, sign_out

ROLES = ("s1100003", "rev-ee", "center", "admin")
SEEN: list[str] = []


def nav_keys(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-testid^=nav-]:not([data-testid=nav-toggle])", "links => links.map((a) => a.dataset.testid.slice(4))"
    )


def sweep(page, username: str, label: str) -> list[str]:
    problems = []
    keys = nav_keys(page)
    assert len(keys) >= 2, f"{username}: no screens in the menu"
    SEEN.extend(f"{username}/{k}" for k in keys)
    for key in keys:
        open_nav(page, key)
        expect(page.locator("main h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        problems += [f"{username} {label} {key}: {p}" for p in serious_violations(page)]
    return problems


@pytest.mark.parametrize(("width", "english"), [(1366, False), (1366, True), (390, False)])
def test_every_screen_has_no_serious_violation(page, system, width, english):
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    problems = []
    SEEN.clear()
    for username in ROLES:
        sign_in(page, system, username)
        if english and username == ROLES[0]:
            page.get_by_test_id("lang-toggle").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        problems += sweep(page, username, f"{width}{' en' if english else ''}")
        if english and username == ROLES[-1]:
            page.get_by_test_id("lang-toggle").click()
        sign_out(page)
    assert len(SEEN) >= 15, SEEN
    assert not problems, "\n".join(problems)
