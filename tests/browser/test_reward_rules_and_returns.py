"""Reward rules and returned transfers in the browser (issue 19, items 4 and 7):

the admin fills the year's rules form and previews the unsaved values (cap, budget, exclusions,
waiting order) → saves a returned-transfer fee → a paid reward of a student comes back from the bank:
the centre uploads the bank's CSV on the paid batch, reads the dry run (fee, what pays again), applies it →
the student sees 待補正 with the bank's reason, gets the mail, and corrects the account in one click by
reusing it... or typing a new one. Screenshots (1366 and 390 px, zh-TW and English) go to
``CERTHUB_SHOTS`` when set.
"""

from __future__ import annotations

import asyncio
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.browser.ui import WAIT, open_nav, sign_in, switch_user
from tests.e2e.gateway_api import catalog_entry, decide, login, queue_item, register, wait_for_status
from tests.support.samples import certificate_jpeg
from tests.support.waiting import eventually

STUDENT = "s1100001"  # 王小明, IM: the other tests find their own rows by id
ACCOUNT = "123456789012"
SHOTS = os.environ.get("CERTHUB_SHOTS")


def run(coroutine):
    """Playwright's sync API holds this thread's event loop: API set-up runs on another thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


async def paid_reward(base: str) -> tuple[str, str, int]:
    """A GEPT 中級 reward of the student, through both reviews into a paid batch: (application, batch, amount)."""
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        student, rev, centre, admin = [await login(client, u) for u in (STUDENT, "rev-im", "center", "admin")]
        year = (await client.get("/api/rewards/window", headers=student)).json()["academic_year"]
        now = datetime.now(UTC)
        window = await client.get("/api/rewards/window", headers=student)
        if not window.json()["is_open"]:
            await client.put(
                f"/api/rewards/windows/{year}",
                headers=admin,
                json={
                    "opens_at": (now - timedelta(days=1)).isoformat(),
                    "closes_at": (now + timedelta(days=29)).isoformat(),
                },
            )
        certificate, chosen = await approved_with_standard(client, student, rev, seed=1901)
        app = (
            await client.post(
                "/api/rewards/applications",
                headers=student,
                json={"standard_id": chosen["id"], "certificate_ids": [certificate["id"]]},
            )
        ).json()
        url = f"/api/rewards/applications/{app['id']}"
        saved = await client.put(
            f"{url}/bank-account",
            headers=student,
            data={
                "method": "bank",
                "code": "0040174",
                "account_no": ACCOUNT,
                "account_name": "王小明",
                "postal_code": "900",
                "address": "屏東縣屏東市民生路4-18號",
            },
            files={"passbook": ("p.jpg", certificate_jpeg(1902), "image/jpeg")},
        )
        assert saved.status_code == 200, saved.text
        assert (await client.post(f"{url}/first-review", headers=rev, json={"result": "Y"})).status_code == 200
        assert (await client.post(f"{url}/second-review", headers=centre, json={"result": "Y"})).status_code == 200
        batch = (
            await client.post("/api/rewards/payouts", headers=centre, json={"application_ids": [app["id"]]})
        ).json()
        assert (await client.post(f"/api/rewards/payouts/{batch['id']}/paid", headers=centre)).status_code == 200
        return app["id"], batch["id"], app["amount"]


async def approved_with_standard(client, student: dict, rev: dict, *, seed: int) -> tuple[dict, dict]:
    """A GEPT certificate of the student, approved by the department, and the reward standard it meets."""
    gept = await catalog_entry(client, student, "gept", "全民英語")
    certificate = await register(client, student, gept, "中級", seed=seed, email="rules@student.test")
    await queue_item(client, rev, certificate["id"], student=STUDENT)
    assert (await decide(client, rev, certificate["id"])).status_code == 200
    await wait_for_status(client, student, certificate["id"], "approved")

    async def standard():
        for item in (await client.get("/api/rewards/eligible", headers=student)).json():
            if any(c["certificate_id"] == certificate["id"] for c in item["certificates"]):
                return item["standard"]

    return certificate, await eventually(standard, timeout=15)


async def submitted_application(base: str) -> str:
    """A second application of the student, waiting for 初審."""
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        student, rev = [await login(client, u) for u in (STUDENT, "rev-im")]
        certificate, chosen = await approved_with_standard(client, student, rev, seed=1903)
        app = await client.post(
            "/api/rewards/applications",
            headers=student,
            json={"standard_id": chosen["id"], "certificate_ids": [certificate["id"]], "flags": ["subsidised"]},
        )
        assert app.status_code == 201, app.text
        return app.json()["id"]


def test_rules_form_preview_and_a_returned_transfer(page, system, tmp_path):
    application_id, batch_id, amount = run(paid_reward(system))
    page.set_viewport_size({"width": 1366, "height": 900})

    # 1. The admin's rules form: the preview shows the unsaved values; only the fee is saved
    #    (a cap or budget would change the other browser tests' rewards).
    sign_in(page, system, "admin")
    open_nav(page, "admin-rules")
    expect(page.get_by_test_id("rules-exclude-subsidised")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("rules-cap").fill("1500")
    page.get_by_test_id("rules-budget").fill("1000")
    page.get_by_test_id("rules-exclude-subsidised").check()
    page.get_by_test_id("rules-ranking").select_option("highest_level")
    page.get_by_test_id("rules-preview-run").click()
    expect(page.get_by_test_id("rules-preview-total")).to_contain_text("NT$", timeout=WAIT)
    expect(page.get_by_test_id("rules-waiting")).to_be_visible()
    shot(page, "rules-1366-zh")
    page.get_by_test_id("lang-toggle").click()
    expect(page.get_by_test_id("rules-save")).to_have_text("Save", timeout=WAIT)
    page.get_by_test_id("rules-preview-run").click()
    expect(page.get_by_test_id("rules-preview")).to_contain_text("What-if", timeout=WAIT)
    shot(page, "rules-1366-en")
    page.get_by_test_id("lang-toggle").click()
    page.get_by_test_id("rules-cap").fill("")
    page.get_by_test_id("rules-budget").fill("")
    page.get_by_test_id("rules-exclude-subsidised").uncheck()
    page.get_by_test_id("rules-fee").fill("30")
    page.get_by_test_id("rules-save").click()
    expect(page.get_by_test_id("rules-message")).to_have_class(re.compile("message-success"), timeout=WAIT)

    # 2. The centre: the bank's CSV on the paid batch — dry run (fee, what pays again), then apply.
    switch_user(page, system, "center")
    open_nav(page, "payouts")
    batch = page.locator(f"[data-testid=payout-batch][data-id='{batch_id}']")
    expect(batch).to_have_attribute("data-paid", "true", timeout=WAIT)
    returns = batch.get_by_test_id("payout-returns")
    returns.locator("summary").click()
    csv_path = tmp_path / "returns.csv"
    csv_path.write_text(f"application_id,amount,reason\n{application_id},{amount},帳號錯誤\n", encoding="utf-8")
    returns.get_by_test_id("returns-file").set_input_files(str(csv_path))
    returns.get_by_test_id("returns-dry-run").click()
    row = returns.get_by_test_id("returns-row")
    expect(row).to_have_attribute("data-status", "ok", timeout=WAIT)
    expect(row).to_contain_text("NT$ 30")
    expect(row).to_contain_text(f"NT$ {amount - 30:,}")
    shot(page, "returns-dry-run-1366-zh")
    returns.get_by_test_id("returns-apply").click()
    expect(page.get_by_test_id("payout-message")).to_have_class(re.compile("message-success"), timeout=WAIT)

    # 3. The student: 待補正 with the bank's reason, the mail, and the corrected account.
    switch_user(page, system, STUDENT)
    open_nav(page, "rewards-mine")
    mine = page.locator(f"[data-testid=app-row][data-id='{application_id}']")
    expect(mine.get_by_test_id("app-status")).to_have_attribute("data-status", "needs_fix", timeout=WAIT)
    expect(mine.get_by_test_id("app-status")).to_have_text("待補正（退匯）")
    mine.get_by_test_id("app-detail").locator("summary").click()
    expect(mine).to_contain_text("帳號錯誤")
    expect(mine).not_to_contain_text("上限")  # the fee is no cap
    shot(page, "mine-needs-fix-1366-zh")
    mine.get_by_test_id("app-bank-fix").click()
    expect(page.get_by_test_id("bank-form")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("bank-code")).to_have_value("0040174", timeout=WAIT)  # the saved account has loaded
    page.get_by_test_id("bank-account-no").fill("987654321098")
    page.get_by_test_id("bank-postal-code").fill("900")
    page.get_by_test_id("bank-address").fill("屏東縣屏東市民生路4-18號")
    page.get_by_test_id("bank-submit").click()
    expect(mine.get_by_test_id("app-status")).to_have_attribute("data-status", "second_passed", timeout=WAIT)
    expect(mine).to_contain_text(f"{amount - 30:,}")

    async def mailed():
        async with httpx.AsyncClient(base_url=system, timeout=10) as client:
            mails = (await client.get("/api/dev/mailbox", params={"to": f"{STUDENT}@demo.certhub.tw"})).json()
            return next((m for m in mails if "退匯" in m["subject"]), None)

    mail = run(eventually(mailed, timeout=20))
    assert "帳號錯誤" in str(mail) and "NT$ 30" in str(mail)

    # 4. The reviewer sees the student's declared flag at 初審 and marks the graduation threshold too.
    flagged = run(submitted_application(system))
    switch_user(page, system, "rev-im")
    open_nav(page, "first-review")
    item = page.locator(f"[data-testid=first-review-row][data-id='{flagged}']")
    expect(item.get_by_test_id("first-review-flag-subsidised")).to_be_checked(timeout=WAIT)
    item.get_by_test_id("first-review-flag-threshold").check()
    expect(page.get_by_test_id("first-review-message")).not_to_have_class(re.compile("message-error"))
    page.reload()
    expect(item.get_by_test_id("first-review-flag-threshold")).to_be_checked(timeout=WAIT)
    shot(page, "first-review-flags-1366-zh")

    # 5. At phone width, in English: the admin's form still fits.
    page.set_viewport_size({"width": 390, "height": 844})
    switch_user(page, system, "admin")
    open_nav(page, "admin-rules")
    expect(page.get_by_test_id("rules-fee")).to_have_value("30", timeout=WAIT)
    page.get_by_test_id("rules-preview-run").click()
    expect(page.get_by_test_id("rules-preview-total")).to_be_visible(timeout=WAIT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "rules-390-zh")
    page.get_by_test_id("lang-toggle").click()
    expect(page.get_by_test_id("rules-save")).to_have_text("Save", timeout=WAIT)
    shot(page, "rules-390-en")
    page.get_by_test_id("lang-toggle").click()
