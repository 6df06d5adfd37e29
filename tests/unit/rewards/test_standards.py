"""Labels exactly like the seeds, qualifying rules and standard checks."""

from __future__ import annotations

import uuid

import pytest

from certhub_kit.errors import Invalid
from rewards.domain.standards import Qualifying, RewardStandard, check_standard, standard_label
from rewards.service_layer.standards import parse_qualifying_cell, parse_standards_csv


def test_school_label_like_b3673s():
    assert standard_label("school", 1, 3, "證券商業務員") == "全校--1級-3項-證券商業務員"


def test_department_label_like_b3682s3():
    assert standard_label("IM", 2, 16, "TQC+認證") == "系所-資訊管理學系-2級-16項-TQC+認證"
    assert standard_label("EE", 3, 9, "網路通訊國際證照") == "系所-電機工程學系-3級-9項-網路通訊國際證照"


def test_qualifying_with_and_without_levels():
    any_level = Qualifying("securities-specialist")
    assert any_level.accepts("securities-specialist", None)
    gept = Qualifying("gept", ("中高級",))
    assert gept.accepts("gept", "中高級")
    assert not gept.accepts("gept", "中級")
    assert not gept.accepts("gept", None)
    assert not gept.accepts("toeic-lr", "中高級")


def test_standard_applies_to_school_and_own_department():
    standard = RewardStandard(uuid.uuid4(), 114, "IM", 2, 16, "TQC+認證", 3000, 3, (Qualifying("tqc-word"),))
    assert standard.applies_to("IM") and not standard.applies_to("EE")
    assert standard.label == "系所-資訊管理學系-2級-16項-TQC+認證"


@pytest.mark.parametrize(
    "changes",
    [
        {"scope": "XX"},
        {"level": 0},
        {"level": 6},
        {"item": 0},
        {"name": " "},
        {"amount": -1},
        {"required_count": 0},
        {"qualifying": ()},
    ],
)
def test_impossible_standards_are_refused(changes):
    values = dict(
        scope="school",
        level=1,
        item=3,
        name="證券商業務員",
        amount=5000,
        required_count=1,
        qualifying=(Qualifying("securities-specialist"),),
    )
    with pytest.raises(Invalid):
        check_standard(**{**values, **changes})


def test_qualifying_cell():
    assert parse_qualifying_cell("gept:中高級|高級; securities-specialist") == [
        {"certificate_key": "gept", "levels": ["中高級", "高級"]},
        {"certificate_key": "securities-specialist", "levels": None},
    ]


def test_csv_import_reports_the_bad_line():
    good = (
        "academic_year,scope,level,item,name,amount,required_count,qualifying\n"
        "114,school,1,3,證券商業務員,5000,1,securities-specialist\n"
    )
    assert parse_standards_csv(good.encode())[0].label == "全校--1級-3項-證券商業務員"
    with pytest.raises(Invalid) as caught:
        parse_standards_csv((good + "114,school,9,4,x,1,1,gept\n").encode())
    assert "第 3 行" in caught.value.message
    with pytest.raises(Invalid):
        parse_standards_csv(b"scope,level\nschool,1\n")
