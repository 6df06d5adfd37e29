"""Departments, divisions and programmes in words; catalog aliases as typed; rule texts naming the department."""

from __future__ import annotations

import pytest

from certhub_kit.departments import DEMO_DEPARTMENTS, division_name, programme_name, seed_rows
from certificates.domain.catalog import alias_list, aliases_text
from certificates.domain.departments import Department, check_department, department_code
from certificates.domain.errors import FieldInvalid
from review.domain.rule_config import RuleConfig
from review.domain.rules import dept_threshold
from tests.unit.review.factories import item


def test_divisions_and_programmes_have_names_in_both_languages_and_unknown_codes_stay_visible():
    assert (division_name("day"), division_name("day", english=True)) == ("日間部", "Day division")
    assert (programme_name("bachelor"), programme_name("master", english=True)) == ("學士班", "Master")
    assert division_name("weekend") == "weekend" and programme_name(None) == ""


def test_the_demo_registry_seeds_every_code_the_demo_users_carry_in_order():
    rows = seed_rows()
    assert [r["code"] for r in rows][:2] == ["IM", "EE"] and [r["position"] for r in rows] == list(
        range(1, len(rows) + 1)
    )
    assert DEMO_DEPARTMENTS["IM"] == ("資訊管理學系", "Department of Information Management")


def test_department_codes_are_capitals_and_names_are_required():
    assert department_code(" im ") == "IM"
    for bad in ("", "1X", "I M", "資管"):
        with pytest.raises(FieldInvalid) as refused:
            department_code(bad)
        assert refused.value.message and refused.value.message_en
    assert check_department(Department("IM", "  資訊管理學系 ", " ")).as_dict()["name_en"] is None
    with pytest.raises(FieldInvalid):
        check_department(Department("IM", "   "))


def test_aliases_are_kept_once_each_from_a_list_or_a_typed_text():
    assert aliases_text(["英檢", " 全民英檢", "英檢", ""]) == "英檢, 全民英檢"
    assert aliases_text("多益、TOEIC，ＴＯＥＩＣ | toeic") == "多益, TOEIC"  # NFKC and case: one TOEIC
    assert aliases_text("") is None and aliases_text(None) is None
    assert alias_list("英檢, 全民英檢") == ["英檢", "全民英檢"] and alias_list(None) == []
    with pytest.raises(FieldInvalid):
        aliases_text("長" * 51)
    with pytest.raises(FieldInvalid):
        aliases_text(",".join(f"a{n}" for n in range(21)))


def test_the_threshold_rule_names_the_department_from_the_registry():
    names = {"IM": ("資訊管理學系", "Department of Information Management")}
    unset = dept_threshold(item(dept="IM"), RuleConfig(dept_names=names))
    assert unset.passed and unset.reason == "資訊管理學系尚未設定畢業門檻清單，不檢查"
    assert unset.reason_en == "No graduation threshold list for Department of Information Management; not checked"
    outside = dept_threshold(
        item(dept="IM", entry_key="x", entry_name="某證照"),
        RuleConfig(dept_thresholds={"IM": ("gept",)}, dept_names=names),
    )
    assert not outside.passed and outside.reason == "「某證照」不在資訊管理學系的畢業門檻清單內"
    assert dept_threshold(item(dept="ZZ"), RuleConfig()).reason.startswith("ZZ")  # unknown: the code, not nothing
    assert dept_threshold(item(dept=None), RuleConfig()).reason.startswith("未知系所")
