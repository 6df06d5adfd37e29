"""The web client's bank head-office list (web/data/bank-head-offices.json, echoed by the bank form) names
exactly the institutions the rewards service accepts (adapters/bank_codes.json), so the name a student sees
for a code is the one the server checks against."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_web_list_is_the_services_list():
    served = json.loads((ROOT / "services/rewards/rewards/adapters/bank_codes.json").read_text(encoding="utf-8"))
    web = json.loads((ROOT / "web/data/bank-head-offices.json").read_text(encoding="utf-8"))
    assert web["head_offices"] == {r["code"]: {"name": r["name"], "name_en": r["name_en"]} for r in served}
    assert web["head_offices"]["004"]["name"] == "臺灣銀行" and web["head_offices"]["700"]["name"] == "中華郵政"
    assert set(web["codes"]) == {"7000021"}
