"""No silent stalls in the browser: the student's list shows stage, holder and expected date; after the
item has waited past its SLA (its stage start moved back in the review database, as time would) the
student sees it overdue and the centre finds it on the overdue list. Screenshots at 1366 and 390 px,
zh-TW and English: test-artifacts/sla-*.png."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import asyncpg
from playwright.sync_api import expect

from tests.support.samples import certificate_jpeg

from .conftest import ARTIFACTS
from .ui import WAIT, days_ago, open_nav, register_certificate, sign_in, switch_user, until_visible


def _pg_port(tmp_path_factory, base: str) -> int:
    port = base.rsplit(":", 1)[1]
    log = next(tmp_path_factory.getbasetemp().glob(f"browser*/standalone-{port}.log"))
    return int(re.search(r"PostgreSQL on 127\.0\.0\.1:(\d+)", log.read_text()).group(1))


def _age(pg_port: int, certificate_id: str, days: int) -> None:
    async def run():
        db = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg_port}/certhub_review")
        try:
            await db.execute(
                "UPDATE review_items SET stage_since = stage_since - make_interval(days => $2) "
                "WHERE certificate_id = $1::uuid",
                certificate_id,
                days,
            )
        finally:
            await db.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(asyncio.run, run()).result()


def _shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"sla-{name}-zh-{width}.png"), full_page=True)
    page.get_by_test_id("lang-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^en"))
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"sla-{name}-en-{width}.png"), full_page=True)
    page.get_by_test_id("lang-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-TW")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_student_sees_who_holds_it_and_the_centre_sees_it_overdue(page, system, tmp_path, tmp_path_factory):
    scan = tmp_path / "toeic.jpg"
    scan.write_bytes(certificate_jpeg(77))
    sign_in(page, system, "s1100002")
    certificate_id = register_certificate(
        page,
        search="全民英語",
        entry_text="全民英語能力分級檢定測驗",
        level_text="中級",
        issued_on=days_ago(20),
        scan=str(scan),
        certificate_no="GEPT-SLA-7701",
    )
    mine = page.locator(f"[data-testid=cert-row][data-id='{certificate_id}']")
    until_visible(lambda: open_nav(page, "certificates"), mine.get_by_test_id("cert-progress"))
    expect(mine.get_by_test_id("cert-holder")).to_have_text("系所審核")
    expect(mine.get_by_test_id("cert-due")).to_contain_text("預計")
    expect(mine.get_by_test_id("cert-progress")).to_have_attribute("data-overdue", "false")

    _age(_pg_port(tmp_path_factory, system), certificate_id, 10)
    open_nav(page, "certificates")
    expect(mine.get_by_test_id("cert-progress")).to_have_attribute("data-overdue", "true", timeout=WAIT)
    expect(mine.get_by_test_id("cert-due")).to_contain_text("已逾預計日期")
    _shots(page, "student")

    switch_user(page, system, "center")
    open_nav(page, "overdue")
    row = page.locator(f"[data-testid=overdue-row][data-id='{certificate_id}']")
    expect(row).to_be_visible(timeout=WAIT)
    expect(row).to_contain_text("s1100002")
    expect(row).to_contain_text("10 天")
    _shots(page, "center")


def test_the_admin_sets_a_tracks_sla_in_the_track_editor(page, system):
    sign_in(page, system, "admin")
    open_nav(page, "admin-tracks")
    sla = page.get_by_test_id("track-sla").first
    expect(sla).to_have_value("7", timeout=WAIT)
    expect(page.get_by_label("審核期限（天）").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "sla-admin-tracks-zh-1366.png"), full_page=True)
