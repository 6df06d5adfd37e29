"""Review's copy of the department registry: rule texts name the department in words, and a rename
(department.changed.v1 from the certificates service) reaches the open items' checklists."""

from __future__ import annotations

from certhub_kit.events.certificates import DepartmentChanged

from .support import eventually, registered, snapshot


def threshold_line(item: dict) -> dict:
    return next(c for c in item["checklist"] if c["rule"] == "dept_threshold")


async def test_rule_texts_name_the_department_and_follow_a_rename(world):
    mine = await world.fed(registered(snapshot("s1100001", "cisco-ccna", entry_name_en="Cisco CCNA (en)")))
    line = threshold_line(mine)
    assert line["reason"] == "資訊管理學系尚未設定畢業門檻清單，不檢查"
    assert "Department of Information Management" in line["reason_en"] and " IM " not in line["reason"]
    assert mine["entry_name_en"] == "Cisco CCNA (en)"
    other = await world.fed(registered(snapshot("s1100003", "cisco-ccna")))
    assert threshold_line(other)["reason"].startswith("電機工程學系")

    sent = await world.broker.publish(
        DepartmentChanged(
            code="IM",
            name="資訊管理與數位創新學系",
            name_en="Department of Information Management and Innovation",
            position=1,
        )
    )
    await eventually(lambda: world.processed(sent.id))

    async def renamed():
        found = threshold_line(await world.item(mine["certificate_id"]))
        return found if found["reason"].startswith("資訊管理與數位創新學系") else None

    line = await eventually(renamed)
    assert "Department of Information Management and Innovation" in line["reason_en"]
    assert threshold_line(await world.item(other["certificate_id"]))["reason"].startswith("電機工程學系")
    later = await world.fed(registered(snapshot("s1100002", "its-python")))
    assert threshold_line(later)["reason"].startswith("資訊管理與數位創新學系")
