"""Every automatic rule, with its reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime

from review.domain.rule_config import RuleConfig
from review.domain.rules import (
    Evidence,
    OtherCertificate,
    bundle,
    dept_threshold,
    duplicate_flags,
    duplicates,
    evaluate,
    recognised,
    reporting_window,
)
from review.domain.tracks import Track

from .factories import item


def test_recognised_passes_when_the_track_recognises_everything():
    result = recognised(item(), Track("simple"))
    assert result.passed and result.reason_en


def test_recognised_checks_the_list_of_entry_keys():
    track = Track("verified", recognised=("tqc-word", "mos-excel"))
    assert recognised(item(entry_key="mos-excel"), track).passed
    failed = recognised(item(entry_key="gept", entry_name="全民英檢"), track)
    assert not failed.passed and "全民英檢" in failed.reason and "not on the recognised list" in failed.reason_en


def test_reporting_window_is_six_months_from_the_issue_date():
    config = RuleConfig()
    on_time = item(issued_on=date(2024, 1, 31), registered_at=datetime(2024, 7, 31, 15, 0, tzinfo=UTC))  # 23:00 Taipei
    late = item(issued_on=date(2024, 1, 31), registered_at=datetime(2024, 7, 31, 16, 30, tzinfo=UTC))  # 08-01 Taipei
    assert reporting_window(on_time, config).passed
    result = reporting_window(late, config)
    assert not result.passed and "2024-07-31" in result.reason_en


def test_reporting_window_does_not_apply_before_2014_02_01():
    old = item(issued_on=date(2014, 1, 31), registered_at=datetime(2015, 6, 1, tzinfo=UTC))
    assert reporting_window(old, RuleConfig()).passed
    subject = item(issued_on=date(2014, 2, 1), registered_at=datetime(2015, 6, 1, tzinfo=UTC))
    assert not reporting_window(subject, RuleConfig()).passed


def test_reporting_window_numbers_are_configurable():
    config = RuleConfig(reporting_window_months=12, window_applies_from=date(2020, 1, 1))
    assert reporting_window(
        item(issued_on=date(2023, 1, 1), registered_at=datetime(2023, 12, 1, tzinfo=UTC)), config
    ).passed
    assert reporting_window(
        item(issued_on=date(2019, 1, 1), registered_at=datetime(2023, 12, 1, tzinfo=UTC)), config
    ).passed


def test_department_threshold_list():
    config = RuleConfig(dept_thresholds={"IM": ("tqc-word",), "EE": ()})
    assert dept_threshold(item(dept="IM"), config).passed
    failed = dept_threshold(item(dept="EE"), config)
    assert not failed.passed and "EE" in failed.reason_en


def test_unknown_department_list_passes_with_a_note():
    result = dept_threshold(item(dept="CS"), RuleConfig(dept_thresholds={"IM": ("x",)}))
    assert result.passed and "No graduation threshold list" in result.reason_en


def test_bundle_rule_counts_passing_members_with_this_one():
    track = Track("verified", bundles={"TQC": 3})
    tqc = item(bundle="TQC")
    assert bundle(item(bundle=None), track, Evidence()) is None
    assert bundle(item(bundle="BAP"), track, Evidence()) is None  # not a bundle of this track
    waiting = bundle(tqc, track, Evidence(bundle_passed=1))
    assert not waiting.passed and "2" in waiting.reason_en and not waiting.blocking
    assert bundle(tqc, track, Evidence(bundle_passed=2)).passed
    assert bundle(tqc, track, Evidence(bundle_passed=0, bundle_complete=True)).passed


def test_duplicate_certificate_number_on_any_other_certificate_is_flagged():
    mine = item(certificate_no="AB-123")
    others = [OtherCertificate("x", "s1100001", certificate_no=" ab-123 "), OtherCertificate("y", "s2", "ZZ-1")]
    flags = duplicate_flags(mine, others, 6)
    assert [(f.code, f.certificate_id) for f in flags] == [("duplicate_certificate_no", "x")]


def test_similar_scan_of_another_student_is_flagged_within_the_threshold():
    mine = item(scan_phash="ffffffffffffffff")
    near = OtherCertificate("near", "s1100003", scan_phash="ffffffffffffffc0")  # 6 bits apart
    far = OtherCertificate("far", "s1100003", scan_phash="ffffffffffffff80")  # 7 bits apart
    own = OtherCertificate("own", "s1100001", scan_phash="ffffffffffffffff")  # same student: not a duplicate
    flags = duplicate_flags(mine, [near, far, own], 6)
    assert [(f.code, f.certificate_id) for f in flags] == [("similar_scan", "near")]
    assert duplicate_flags(mine, [far], 7)[0].certificate_id == "far"


def test_duplicates_flag_but_never_reject():
    assert duplicates([]).passed
    result = duplicates(duplicate_flags(item(certificate_no="1"), [OtherCertificate("x", "s9", "1")], 6))
    assert not result.passed and "flagged" in result.reason_en


def test_evaluate_lists_every_rule_in_order():
    track = Track("verified", recognised=("tqc-word",), bundles={"TQC": 3})
    results, flags = evaluate(item(bundle="TQC"), track, RuleConfig(), Evidence())
    assert [r.rule for r in results] == ["recognised", "reporting_window", "dept_threshold", "bundle", "duplicates"]
    assert flags == []
    assert all(set(r.as_dict()) == {"rule", "passed", "reason", "reason_en"} for r in results)
