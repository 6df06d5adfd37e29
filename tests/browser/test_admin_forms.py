"""Admin screens are forms, not JSON: the tracks form (options as checkboxes, SLA as a number, bundle sizes
as rows, the recognised list picked by catalog search and shown by name, next steps per status, categories by
name in the assignments); graduation thresholds (the department a select, categories by name, certificates
picked by catalog search and shown by name); a reward standard's qualifying certificates by name and its
scope as a select; a catalog request accepted only with its category; the catalog import's template and
column documentation. Screenshots at 1366 and 390 px, zh-TW and English: test-artifacts/forms-*.png."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import ARTIFACTS
from .ui import WAIT, open_nav, sign_in, switch_user


def shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"forms-{name}-{lang}-{width}.png"), full_page=True)
        page.get_by_test_id("lang-toggle").click()
        expect(page.locator("html")).to_have_attribute("lang", re.compile("^en") if lang == "zh" else "zh-TW")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_admin_edits_tracks_in_a_form(page, system):
    sign_in(page, system, "admin")
    open_nav(page, "admin-tracks")
    verified = page.locator("[data-testid=track-panel][data-name=verified]")
    expect(verified.get_by_test_id("track-original_check_required")).to_be_checked(timeout=WAIT)
    expect(verified.get_by_test_id("track-bundle-name")).to_have_count(2)
    expect(verified.get_by_test_id("track-next-submitted-zh")).to_have_value(re.compile("請攜帶正本至電算中心掃描"))
    expect(page.get_by_test_id("tracks-json")).to_have_count(0)  # no JSON text area for the tracks
    # categories by name in the assignments
    expect(page.get_by_test_id("assignment-category").nth(2).locator("option:checked")).to_contain_text("資訊")
    assert_accessible(page, "admin tracks form")

    simple = page.locator("[data-testid=track-panel][data-name=simple]")
    simple.get_by_test_id("track-sla").fill("10")
    simple.get_by_test_id("track-bundle-add").click()
    simple.get_by_test_id("track-bundle-name").last.fill("GLAD")
    simple.get_by_test_id("track-bundle-size").last.fill("2")
    simple.get_by_test_id("track-entry-search").fill("全民英")
    simple.get_by_test_id("track-entry-option").first.click()
    expect(simple.get_by_test_id("track-recognised")).to_contain_text("全民英語能力分級檢定測驗")
    expect(simple.get_by_test_id("track-recognised-listed")).to_be_checked()
    simple.locator("summary").filter(has_text="學生看到的下一步").click()
    simple.get_by_test_id("track-next-approved-zh").fill("請至系辦公室領取證明。")
    simple.get_by_test_id("track-next-approved-en").fill("Collect the letter at the department office.")
    page.get_by_test_id("tracks-save").click()
    expect(page.get_by_test_id("tracks-message")).to_contain_text("已存檔", timeout=WAIT)

    page.reload()
    simple = page.locator("[data-testid=track-panel][data-name=simple]")
    expect(simple.get_by_test_id("track-sla")).to_have_value("10", timeout=WAIT)
    expect(simple.get_by_test_id("track-recognised")).to_contain_text("全民英語能力分級檢定測驗")  # a name, not a key
    expect(simple.get_by_test_id("track-recognised")).not_to_contain_text("gept")
    expect(simple.get_by_test_id("track-next-approved-zh")).to_have_value("請至系辦公室領取證明。")
    shots(page, "admin-tracks")

    # a bad bundle is refused at the form, with the track named
    simple.get_by_test_id("track-bundle-name").last.fill("")
    page.get_by_test_id("tracks-save").click()
    expect(page.get_by_test_id("tracks-message")).to_contain_text("simple", timeout=WAIT)

    # back as it was, for the other tests on this system
    page.reload()
    simple = page.locator("[data-testid=track-panel][data-name=simple]")
    simple.get_by_test_id("track-sla").fill("7")
    simple.get_by_test_id("track-bundle-remove").last.click()
    simple.get_by_test_id("track-recognised-all").check()
    expect(simple.get_by_test_id("track-next-steps")).to_have_attribute("open", "")  # open: it has a text
    simple.get_by_test_id("track-next-approved-zh").fill("")
    simple.get_by_test_id("track-next-approved-en").fill("")
    page.get_by_test_id("tracks-save").click()
    expect(page.get_by_test_id("tracks-message")).to_contain_text("已存檔", timeout=WAIT)


def test_the_admin_edits_a_years_review_rules_in_a_form(page, system):
    sign_in(page, system, "admin")
    open_nav(page, "admin-tracks")
    rules = page.get_by_test_id("rules-editor")
    expect(rules.get_by_test_id("rules-months")).to_have_value(re.compile(r"^\d+$"), timeout=WAIT)
    months = rules.get_by_test_id("rules-months").input_value()
    rules.get_by_test_id("rules-dept-add").click()
    row = rules.get_by_test_id("rules-dept-row").last
    row.get_by_test_id("rules-dept").select_option("EE")
    row.get_by_test_id("rules-entry-search").fill("多益")
    row.get_by_test_id("rules-entry-option").first.click()
    expect(row.get_by_test_id("rules-dept-entry")).to_have_count(1)
    page.get_by_test_id("review-rules-save").click()
    expect(page.get_by_test_id("review-rules-message")).to_contain_text("已存檔", timeout=WAIT)
    page.reload()
    row = page.get_by_test_id("rules-dept-row").filter(has=page.locator("select option:checked", has_text="電機"))
    expect(row.get_by_test_id("rules-dept-entry")).to_contain_text("多益", timeout=WAIT)  # a name, not a key
    expect(page.get_by_test_id("rules-months")).to_have_value(months)
    page.get_by_test_id("rules-months").fill("0")
    page.get_by_test_id("review-rules-save").click()
    expect(page.get_by_test_id("review-rules-message")).to_contain_text("1 到 120")
    page.get_by_test_id("rules-months").fill(months)
    row.get_by_test_id("rules-dept-remove").click()  # back as it was for the other tests
    page.get_by_test_id("review-rules-save").click()
    expect(page.get_by_test_id("review-rules-message")).to_contain_text("已存檔", timeout=WAIT)


def test_graduation_thresholds_name_departments_categories_and_certificates(page, system):
    sign_in(page, system, "admin")
    open_nav(page, "admin-thresholds")
    dept = page.get_by_test_id("thr-dept")
    expect(dept).to_have_js_property("tagName", "SELECT")
    dept.select_option("EE")
    page.get_by_test_id("thr-cohort").fill("113")
    page.get_by_test_id("thr-load").click()
    expect(page.get_by_test_id("thr-rules")).to_have_attribute("data-loaded", "EE/113", timeout=WAIT)
    expect(page.get_by_test_id("alt-entries")).to_have_count(0)  # no text box for catalog keys
    block = page.get_by_test_id("rule-block").first
    block.get_by_test_id("rule-name").fill("英語檢定（瀏覽器）")
    block.get_by_test_id("rule-name-en").fill("An English test (browser)")
    category = block.get_by_test_id("alt-category")
    labels = category.locator("option").all_inner_texts()
    assert "不限" in labels and not [x for x in labels if re.match(r"^\d", x)], labels  # names, not numbers
    category.select_option(label=labels[1])
    block.get_by_test_id("alt-entry-pick-search").fill("全民英")
    block.get_by_test_id("alt-entry-pick-option").first.click()
    expect(block.get_by_test_id("alt-entry")).to_contain_text("全民英語能力分級檢定測驗")
    expect(block.get_by_test_id("alt-entry-pick-search")).to_have_value("")
    block.get_by_test_id("alt-entry-pick-search").fill("多益")
    block.get_by_test_id("alt-entry-pick-option").first.click()
    expect(block.get_by_test_id("alt-entry")).to_have_count(2)
    block.get_by_test_id("alt-entry").filter(has_text="多益").get_by_test_id("alt-entry-remove").click()
    expect(block.get_by_test_id("alt-entry")).to_have_count(1)
    page.get_by_test_id("thr-save").click()
    expect(page.get_by_test_id("thr-message")).to_contain_text("電機工程學系", timeout=WAIT)
    expect(page.get_by_test_id("thr-existing")).to_contain_text("電機工程學系 113 學年入學：1 條規則")

    page.reload()
    page.get_by_test_id("thr-dept").select_option("EE")
    page.get_by_test_id("thr-existing").locator("li", has_text="113").get_by_test_id("thr-open").click()
    expect(page.get_by_test_id("thr-rules")).to_have_attribute("data-loaded", "EE/113", timeout=WAIT)
    block = page.get_by_test_id("rule-block").first
    expect(block.get_by_test_id("alt-entry")).to_have_count(1)
    expect(block.get_by_test_id("alt-entry")).to_contain_text("全民英語能力分級檢定測驗")  # a name, not a key
    expect(block.get_by_test_id("alt-entry")).not_to_contain_text("gept")
    expect(block.get_by_test_id("alt-category").locator("option:checked")).to_have_text(labels[1])
    assert_accessible(page, "admin graduation thresholds form")
    shots(page, "admin-thresholds")
    # switching the language twice (each redraws the screen) keeps the set being edited
    expect(page.get_by_test_id("thr-rules")).to_have_attribute("data-loaded", "EE/113", timeout=WAIT)
    expect(page.get_by_test_id("rule-block").first.get_by_test_id("alt-entry")).to_contain_text("全民英語")


def test_a_standard_names_its_certificates_and_scope_is_a_select(page, system):
    sign_in(page, system, "admin")
    open_nav(page, "admin-standards")
    page.get_by_test_id("standard-new").click()
    form = page.get_by_test_id("standard-form")
    scope = form.get_by_test_id("standard-form-scope")
    expect(scope).to_have_js_property("tagName", "SELECT")
    scope.select_option("IM")
    form.get_by_test_id("standard-form-item").fill("91")
    form.get_by_test_id("standard-form-name").fill("瀏覽器測試標準")
    form.get_by_test_id("standard-form-amount").fill("500")
    form.get_by_test_id("standard-entry-search").fill("全民英")
    form.get_by_test_id("standard-entry-option").first.click()
    form.get_by_test_id("standard-qualifying-add").click()
    expect(form.get_by_test_id("standard-qualifying")).to_contain_text("全民英語能力分級檢定測驗")
    form.get_by_test_id("standard-save").click()
    row = page.get_by_test_id("standard-row").filter(has_text="瀏覽器測試標準")
    expect(row).to_contain_text("全民英語能力分級檢定測驗", timeout=WAIT)
    expect(row).not_to_contain_text("gept")
    expect(row).to_contain_text("資訊管理")
    row.get_by_test_id("standard-edit").click()
    expect(page.get_by_test_id("standard-qualifying")).to_contain_text("全民英語能力分級檢定測驗")
    expect(page.get_by_test_id("standard-form-scope")).to_have_value("IM")
    assert_accessible(page, "admin standard form")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "forms-admin-standard-form-zh-1366.png"), full_page=True)
    page.get_by_test_id("standard-cancel").click()
    shots(page, "admin-standards")  # switching the language redraws the list
    row.get_by_test_id("standard-delete").click()
    row.get_by_test_id("standard-delete-confirm").click()
    expect(page.get_by_test_id("standard-row").filter(has_text="瀏覽器測試標準")).to_have_count(0, timeout=WAIT)


def test_a_catalog_request_needs_its_category_and_the_import_has_a_template(page, system, tmp_path):
    sign_in(page, system, "s1100001")
    open_nav(page, "catalog-request")
    page.get_by_test_id("req-name").fill("韓國語文能力測驗（瀏覽器）")
    page.get_by_test_id("req-issuer").fill("韓國國立國際教育院")
    page.get_by_test_id("req-submit").click()
    expect(page.get_by_test_id("form-message")).to_contain_text("已送出", timeout=WAIT)

    switch_user(page, system, "admin")
    open_nav(page, "admin-requests")
    row = page.get_by_test_id("request-row").filter(has_text="韓國語文能力測驗（瀏覽器）")
    row.get_by_test_id("request-accept").click()
    expect(page.get_by_test_id("requests-message")).to_contain_text("請先選擇證照類別", timeout=WAIT)
    expect(row.get_by_test_id("request-category")).to_have_attribute("aria-invalid", "true")
    row.get_by_test_id("request-category").select_option("1")
    row.get_by_test_id("request-accept").click()
    expect(page.get_by_test_id("requests-message")).to_contain_text("韓國語文能力測驗（瀏覽器）", timeout=WAIT)

    open_nav(page, "admin-catalog")
    expect(page.get_by_test_id("catalog-import-template")).to_be_visible(timeout=WAIT)
    with page.expect_download() as download:
        page.get_by_test_id("catalog-import-template").click()
    saved = tmp_path / "template.csv"
    download.value.save_as(saved)
    assert (
        saved.read_text(encoding="utf-8-sig").splitlines()[0].startswith("證照代號,證照名稱,英文名稱,發照單位,證照類別")
    )
    page.get_by_test_id("catalog-import-columns").locator("summary").click()
    expect(page.get_by_test_id("catalog-import-columns-table")).to_contain_text("有效期限")
    assert_accessible(page, "admin catalog with the import documentation")
    shots(page, "admin-catalog")


def test_on_a_phone_each_track_is_folded_to_its_name_and_sla(page, system):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, system, "admin")
    open_nav(page, "admin-tracks")
    simple = page.locator("[data-testid=track-panel][data-name=simple]")
    expect(simple.get_by_test_id("track-summary")).to_contain_text("simple", timeout=WAIT)
    expect(simple.get_by_test_id("track-summary")).to_contain_text("7 天")
    expect(simple.get_by_test_id("track-sla")).to_be_hidden()
    simple.get_by_test_id("track-summary").click()
    expect(simple.get_by_test_id("track-sla")).to_be_visible()
    page.get_by_test_id("track-add").click()
    expect(page.get_by_test_id("track-panel").last.get_by_test_id("track-name")).to_be_visible()  # a new one opens
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
