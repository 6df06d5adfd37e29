"""The review desk as a department reviewer works it: fifty certificates, one compact line each
(≤ 160 px at 1366×900), cleared without scrolling back and forth — a refusal or a result appears on
the row that was used, bulk results per row keep the refused rows ticked, duplicates name the matching
certificate and ask for a reason up front, and decided rows offer no decision. zh-TW and English,
1366 px and 390 px, axe-core on each (0 serious/critical). Screenshots: test-artifacts/desk-*.png."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_verify_page import eventually_sync, token
from tests.browser.ui import WAIT, open_nav, sign_in, switch_user, until_status
from tests.support.samples import certificate_jpeg

STUDENT = "s1100001"  # 王小明, IM (test_ksu_flow uses this student too and finds its row by id)
COUNT = 50
TWIN_NO = "DESK-TWIN-0001"
REASON = "影本模糊，請重新掃描上傳"  # two of the fifty share this number: a duplicate flag on each


def register_many(base: str, count: int, prefix: str = "DESK") -> list[str]:
    student = token(base, STUDENT)
    found = httpx.get(f"{base}/api/catalog", params={"q": "全民英語"}, headers=student).json()
    entry = (found["items"] if isinstance(found, dict) else found)[0]
    ids = []
    for n in range(count):
        form = {
            "entry_id": entry["id"],
            "level_id": entry["levels"][n % len(entry["levels"])]["id"],
            "email": f"{STUDENT}@demo.certhub.tw",
            "issued_on": (date.today() - timedelta(days=20 + n)).isoformat(),
            "certificate_no": TWIN_NO if n in (3, 17) else f"{prefix}-{n:04d}",
        }
        created = httpx.post(
            f"{base}/api/certificates",
            data=form,
            headers=student,
            timeout=30,
            files={"scan": ("scan.jpg", certificate_jpeg(5000 + n), "image/jpeg")},
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


def queued(base: str, ids: list[str]) -> dict[str, dict]:
    reviewer = token(base, "rev-im")
    items: dict[str, dict] = {}

    def all_there() -> bool:
        answer = httpx.get(
            f"{base}/api/review/queue", params={"student": STUDENT, "limit": 200}, headers=reviewer
        ).json()
        items.update({i["certificate_id"]: i for i in answer["items"] if i["certificate_id"] in ids})
        twins = [ids[n] for n in (3, 17) if n < len(ids)]
        return len(items) == len(ids) and all(items[i]["flags"] for i in twins)

    eventually_sync(all_there, attempts=600)
    return items


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"desk-{name}.png"), full_page=False)


def row_of(page, certificate_id: str):
    return page.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")


def open_desk(page, base: str, count: int) -> None:
    page.goto(base + "/#/review/queue")
    page.get_by_test_id("queue-filter-student").fill(STUDENT)
    page.get_by_test_id("queue-search").click()
    expect(page.locator("[data-testid=queue-row] [data-testid=decision-approved]")).to_have_count(count, timeout=WAIT)


def assert_in_view(page, locator, what: str) -> None:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, f"{what} is outside the viewport: {box}"


def test_a_reviewer_clears_fifty_without_scrolling_back(page, system):
    ids = register_many(system, COUNT)
    items = queued(system, ids)
    assert {f["code"] for f in items[ids[3]]["flags"]} == {"duplicate_certificate_no"}
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, system, "rev-im")
    open_desk(page, system, COUNT)

    # Compact: every line at most 160 px high; the page fits the width.
    heights = page.eval_on_selector_all(
        "[data-testid=queue-row] > tr.desk-main", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) >= COUNT and max(heights) <= 160, f"desk lines too high: {max(heights)} px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page, "review desk (zh-TW, 1366)")
    shot(page, "zh-1366")

    # A duplicate asks for a reason up front and names the matching certificate (grouped: one card per match).
    twin = row_of(page, ids[3])
    expect(twin.get_by_test_id("queue-rules")).to_contain_text("重複檢查")
    expect(twin.get_by_test_id("decision-reason")).to_have_attribute("aria-required", "true")
    twin.get_by_test_id("queue-expand").click()
    expect(twin.get_by_test_id("queue-match")).to_have_count(1)
    expect(twin.get_by_test_id("match-who")).to_contain_text(STUDENT, timeout=WAIT)
    expect(twin.get_by_test_id("queue-checklist").locator("li[data-rule=duplicates]")).to_have_attribute(
        "data-passed", "false"
    )
    assert_accessible(page, "review desk, a row expanded")
    twin.scroll_into_view_if_needed()
    shot(page, "zh-1366-expanded")
    twin.get_by_test_id("queue-expand").click()

    # A refusal far down the list appears on that row, in view, and the page does not jump.
    lower = row_of(page, ids[30])
    lower.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    lower.get_by_test_id("decision-rejected").click()
    message = lower.get_by_test_id("row-message")
    expect(message).to_have_class("row-message message-error")
    assert_in_view(page, message, "the row's refusal")
    assert abs(page.evaluate("window.scrollY") - before) < 40

    # A single decision: the result is written on the row, which then offers no decision.
    lower.get_by_test_id("decision-approved").click()
    expect(message).to_have_class("row-message message-success", timeout=WAIT)
    expect(lower.get_by_test_id("decision-approved")).to_have_count(0)
    assert_in_view(page, message, "the row's result")

    # Bulk without a reason: the duplicates are refused at their rows and stay ticked; the rest pass.
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_test_id("queue-select-all").click()
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("未處理 2 筆", timeout=60_000)
    for twin_id in (ids[3], ids[17]):
        row = row_of(page, twin_id)
        expect(row.get_by_test_id("row-message")).to_have_class("row-message message-error")
        expect(row.get_by_test_id("queue-select")).to_be_checked()
    expect(row_of(page, ids[0]).get_by_test_id("row-message")).to_have_class("row-message message-success")

    # The two left: a reason, and the desk is clear.
    page.get_by_test_id("bulk-reason").fill("證號重複已向學生確認為補發 (browser test)")
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("未處理 0 筆", timeout=WAIT)
    expect(page.locator("[data-testid=queue-row] [data-testid=decision-approved]")).to_have_count(0)


def test_the_desk_in_english_and_on_a_phone(page, system):
    ids = register_many(system, 3, prefix="DESK-EN")
    queued(system, ids)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, system, "rev-im")
    page.get_by_test_id("lang-toggle").click()
    open_desk(page, system, 3)
    expect(page.locator("table.desk thead")).to_contain_text("Student")
    expect(row_of(page, ids[0]).get_by_test_id("decision-approved")).to_have_text("Approve")
    assert_accessible(page, "review desk (English, 1366)")
    shot(page, "en-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    expect(row_of(page, ids[0])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the desk scrolls sideways"
    row_of(page, ids[0]).get_by_test_id("queue-expand").click()
    expect(row_of(page, ids[0]).get_by_test_id("queue-checklist")).to_be_visible()
    assert_accessible(page, "review desk (English, 390)")
    shot(page, "en-390")
    page.get_by_test_id("lang-toggle").click()
    expect(row_of(page, ids[0]).get_by_test_id("decision-approved")).to_have_text("通過")
    assert_accessible(page, "review desk (zh-TW, 390)")
    shot(page, "zh-390")

    # One is refused with a reason at its row; the reviewer clears the other two in bulk.
    refused = row_of(page, ids[0])
    refused.get_by_test_id("decision-reason").fill(REASON)
    refused.get_by_test_id("decision-rejected").click()
    expect(refused.get_by_test_id("row-message")).to_have_class("row-message message-success", timeout=WAIT)
    page.get_by_test_id("queue-select-all").click()
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("未處理 0 筆", timeout=WAIT)

    # The student reads why and what next, on the list and on the edit page.
    switch_user(page, system, STUDENT)
    open_nav(page, "certificates")
    mine = page.locator(f"[data-testid=cert-row][data-id='{ids[0]}']")
    until_status(lambda: open_nav(page, "certificates"), mine.get_by_test_id("cert-status"), "rejected")
    expect(mine.get_by_test_id("cert-reason")).to_contain_text(REASON)
    expect(mine.get_by_test_id("cert-next-step")).to_contain_text("重新送出")
    mine.scroll_into_view_if_needed()
    shot(page, "student-reason-390")
    page.goto(f"{system}/#/certificates/{ids[0]}/edit")
    expect(page.get_by_test_id("cert-reason")).to_contain_text(REASON, timeout=WAIT)
