"""Rewards names departments, divisions and programmes in words in its exports (its copy of the
registry follows department.changed.v1), and names payout batches by academic year and number."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import DepartmentChanged
from tests.integration.rewards.support import passbook_jpeg, rewards_world, seed_standards, wait_projected
from tests.support.waiting import eventually

SECURITIES = "證券商業務員"


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_depts") as w:
        w.standards = await seed_standards(w)
        yield w


async def paid_ready(world, code: str) -> str:
    """An EE student's application that passed both reviews (ready for a payout batch)."""
    cid = await world.feeder.certificate("s1100003", "securities-specialist", SECURITIES)
    await wait_projected(world.app, cid, "approved")
    async with (
        world.as_user("s1100003") as student,
        world.as_user("rev-ee") as reviewer,
        world.as_user("center") as centre,
    ):
        made = await student.post(
            "/api/rewards/applications",
            json={"standard_id": world.standards[SECURITIES]["id"], "certificate_ids": [str(cid)]},
        )
        assert made.status_code == 201, made.text
        url = f"/api/rewards/applications/{made.json()['id']}"
        bank = await student.put(
            f"{url}/bank-account",
            data={
                "method": "bank",
                "code": code,
                "account_no": "123456789012",
                "account_name": "陳大文",
                "postal_code": "900",
                "address": "屏東縣屏東市民生路4-18號",
            },
            files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")},
        )
        assert bank.status_code == 200, bank.text
        assert (await reviewer.post(f"{url}/first-review", json={"result": "Y"})).status_code == 200
        assert (await centre.post(f"{url}/second-review", json={"result": "Y"})).status_code == 200
        return made.json()["id"]


def csv_rows(answer) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


async def test_exports_name_department_division_and_programme_and_follow_a_rename(world):
    await paid_ready(world, "0040174")
    async with world.as_user("center") as centre:
        rows = csv_rows(await centre.get("/api/rewards/applications/export.csv", params={"dept": "EE"}))
        header, first = rows[0], rows[1]
        cells = dict(zip(header, first, strict=True))
        assert cells["系所 dept"] == "電機工程學系"
        assert (cells["部別 division"], cells["學制 program"]) == ("日間部", "學士班")
        assert "EE" not in (cells["系所 dept"], cells["部別 division"]) and "bachelor" not in first

    sent = Envelope.wrap(
        DepartmentChanged(code="EE", name="電機工程學系（新）", name_en="Electrical Engineering", position=2),
        source="certificates",
        subject="EE",
    )
    await world.feeder.publish(sent)

    async def renamed():
        async with world.as_user("center") as centre:
            answer = await centre.get("/api/rewards/applications/export.xlsx", params={"dept": "EE"})
        sheet = load_workbook(io.BytesIO(answer.content)).active
        return sheet["D2"].value == "電機工程學系（新）"

    assert await eventually(renamed)


async def test_payout_batches_are_named_by_academic_year_and_number(world):
    first_app = await paid_ready(world, "0040174")
    second_app = await paid_ready(world, "0040174")
    async with world.as_user("center") as centre:
        first = await centre.post("/api/rewards/payouts", json={"application_ids": [first_app]})
        second = await centre.post("/api/rewards/payouts", json={"application_ids": [second_app]})
        assert first.status_code == 201 and second.status_code == 201, (first.text, second.text)
        names = [(b.json()["name"], b.json()["name_en"]) for b in (first, second)]
        assert names == [("114學年第1批", "AY114 batch 1"), ("114學年第2批", "AY114 batch 2")]
        listed = (await centre.get("/api/rewards/payouts")).json()
        assert [b["name"] for b in listed][:2] == ["114學年第2批", "114學年第1批"]
        exported = await centre.get(f"/api/rewards/payouts/{first.json()['id']}/export.csv")
        assert exported.status_code == 200
        assert "payout-AY114-1.csv" in exported.headers["content-disposition"]
