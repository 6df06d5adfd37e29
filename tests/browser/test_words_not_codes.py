"""Words instead of codes, as staff and students meet them: the admin renames a department and the
review desk's filter offers the new name; a student types 英檢 and finds GEPT; dates are 民國 in
zh-TW and ISO in English. Screenshots at 1366 and 390 px, zh-TW and English: test-artifacts/words-*.png."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from tests.support.samples import certificate_jpeg

from .conftest import ARTIFACTS
from .ui import WAIT, open_nav, sign_in, switch_user

NEW_NAME, NEW_NAME_EN = "電機與資訊工程學系", "Department of Electrical and Information Engineering"


def token(base: str, username: str) -> dict:
    answer = httpx.post(f"{base}/api/auth/dev-login", json={"username": username}).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        if lang == "en":
            page.get_by_test_id("lang-toggle").click()
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
            page.screenshot(path=str(ARTIFACTS / f"words-{name}-{lang}-{width}.png"), full_page=True)
    page.get_by_test_id("lang-toggle").click()  # back to zh-TW
    page.set_viewport_size({"width": 1280, "height": 900})


def test_admin_renames_a_department_and_the_desk_filter_names_it(page, system):
    admin = token(system, "admin")
    before = {d["code"]: d for d in httpx.get(f"{system}/api/certificates/departments", headers=admin).json()["items"]}
    try:
        sign_in(page, system, "admin")
        open_nav(page, "admin-departments")
        row = page.locator("[data-testid=dept-row][data-code=EE]")
        expect(row).to_contain_text("電機工程學系")
        row.get_by_test_id("dept-edit").click()
        form = page.get_by_test_id("dept-form")
        expect(form.get_by_test_id("dept-form-code")).to_have_value("EE")
        form.get_by_test_id("dept-form-name").fill(NEW_NAME)
        form.get_by_test_id("dept-form-name-en").fill(NEW_NAME_EN)
        form.get_by_test_id("dept-save").click()
        expect(page.get_by_test_id("departments-message")).to_contain_text(NEW_NAME)
        expect(row).to_contain_text(NEW_NAME)
        shots(page, "departments")

        switch_user(page, system, "center")
        page.reload()  # a new page load reads the registry again
        open_nav(page, "review-queue")
        dept = page.get_by_test_id("queue-filter-dept")
        expect(dept.locator("option[value=EE]")).to_have_text(NEW_NAME, timeout=WAIT)
        expect(dept.locator("option[value=IM]")).to_have_text("資訊管理學系")
        expect(dept.locator("option", has_text=re.compile(r"^(EE|IM)$"))).to_have_count(0)
        page.get_by_test_id("lang-toggle").click()
        expect(page.get_by_test_id("queue-filter-dept").locator("option[value=EE]")).to_have_text(NEW_NAME_EN)
        page.get_by_test_id("lang-toggle").click()
        dept = page.get_by_test_id("queue-filter-dept")
        dept.select_option(label=NEW_NAME)
        expect(dept).to_have_value("EE")
        shots(page, "queue-filter")
    finally:
        old = before["EE"]
        httpx.put(
            f"{system}/api/certificates/departments/EE",
            headers=admin,
            json={"name": old["name"], "name_en": old["name_en"], "active": old["active"]},
        )


def test_a_student_finds_gept_by_typing_its_everyday_name(page, system):
    sign_in(page, system, "s1100001")
    open_nav(page, "cert-new")
    page.get_by_test_id("cert-entry-search").fill("英檢")
    option = page.get_by_test_id("cert-entry-option").first
    expect(option).to_contain_text("全民英語能力分級檢定測驗", timeout=WAIT)
    expect(option).to_contain_text("英檢")  # "又稱：英檢、全民英檢 …" says why it matched
    shots(page, "alias-search")
    page.get_by_test_id("lang-toggle").click()
    page.get_by_test_id("cert-entry-search").fill("")
    page.get_by_test_id("cert-entry-search").fill("多益")
    expect(page.get_by_test_id("cert-entry-option").first).to_contain_text(
        "TOEIC Listening and Reading Test", timeout=WAIT
    )
    page.get_by_test_id("lang-toggle").click()


def test_dates_are_minguo_in_chinese_and_iso_in_english(page, system):
    student = token(system, "s1100003")
    entry = httpx.get(f"{system}/api/catalog", params={"q": "全民英語"}, headers=student).json()["items"][0]
    issued = date.today() - timedelta(days=40)
    created = httpx.post(
        f"{system}/api/certificates",
        headers=student,
        data={
            "entry_id": entry["id"],
            "level_id": entry["levels"][1]["id"],
            "email": "s1100003@demo.certhub.tw",
            "issued_on": issued.isoformat(),
        },
        files={"scan": ("scan.jpg", certificate_jpeg(77), "image/jpeg")},
    )
    assert created.status_code == 201, created.text
    sign_in(page, system, "s1100003")
    open_nav(page, "certificates")
    row = page.locator(f"[data-testid=cert-row][data-id='{created.json()['id']}']")
    minguo = f"{issued.year - 1911}年{issued.month}月{issued.day}日"
    expect(row).to_contain_text(minguo, timeout=WAIT)
    expect(row).not_to_contain_text(issued.isoformat())
    shots(page, "dates")
    page.get_by_test_id("lang-toggle").click()
    expect(row).to_contain_text(issued.isoformat())
    expect(row).not_to_contain_text(minguo)
    page.get_by_test_id("lang-toggle").click()
