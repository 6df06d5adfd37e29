"""S11: money needs a way to pay it. A level-1 application (NT$5,000) without a payment method cannot
pass 初審; "other" (no account) is checked (no code or number half-given, the payee is the student, a
reason) and needs the centre's acknowledgement first; a payout batch refuses an application that has
no way to be paid (one that passed its reviews before this rule: its account row removed here)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文 (EE)
OTHER = {
    "method": "other",
    "postal_code": "900",
    "address": "屏東縣屏東市",
    "other_reason": "本人無存款帳號，僅能臨櫃領取",
}


async def test_s11_no_first_review_or_payout_without_a_way_to_pay(fleet):
    certificate = (await fleet.register(STUDENT, "teacher-elementary", "合格"))["id"]
    await fleet.approve(certificate, who="rev-ee")
    application = await fleet.apply(STUDENT, "教師證書", [certificate])
    url = f"/api/rewards/applications/{application['id']}"
    refusals = []
    async with (
        fleet.client("rewards", "rev-ee") as reviewer,
        fleet.client("rewards", STUDENT) as student,
        fleet.client("rewards", "center") as centre,
    ):
        refusals.append(await reviewer.post(f"{url}/first-review", json={"result": "Y"}))
        bad_forms = [
            {**OTHER, "account_no": "123456789012"},
            {**OTHER, "code": "0040174"},
            {**OTHER, "account_name": "王小明"},
            {**OTHER, "other_reason": "  "},
        ]
        bad = [await student.put(f"{url}/bank-account", data=form) for form in bad_forms]
        saved = await student.put(f"{url}/bank-account", data=OTHER)
        assert saved.status_code == 200 and saved.json()["other_acknowledged"] is False, saved.text
        refusals.append(await reviewer.post(f"{url}/first-review", json={"result": "Y"}))
        reason = (await centre.get(url)).json()["bank_account"]["other_reason"]
        acknowledged = await centre.post(f"{url}/bank-account/acknowledge", json={"note": "S11 電話確認"})
        passed = await reviewer.post(f"{url}/first-review", json={"result": "Y"})
        assert passed.status_code == 200 and passed.json()["status"] == "first_passed", passed.text
        assert (await centre.post(f"{url}/second-review", json={"result": "Y"})).status_code == 200
        batch = await centre.post("/api/rewards/payouts", json={"application_ids": [application["id"]]})
        legacy = await _legacy_application(fleet)
        refusals.append(await centre.post("/api/rewards/payouts", json={"application_ids": [legacy]}))
    codes = [r.json()["error"]["code"] for r in refusals if r.status_code == 409]
    refused_bad = sum(r.status_code == 422 and r.json()["error"]["code"] == "invalid_bank_account" for r in bad)
    print(
        f"S11: {len(codes)}/3 ways to be paid without a payment method refused with 409 ({', '.join(codes)}); "
        f"{refused_bad}/{len(bad)} malformed 'other' forms refused with 422; 'other' paid only after the "
        f"centre acknowledged its reason ({acknowledged.status_code}, batch {batch.status_code})"
    )
    assert codes == ["bank_account_missing", "other_payment_unacknowledged", "bank_account_missing"]
    assert refused_bad == len(bad) and reason == OTHER["other_reason"]
    assert acknowledged.status_code == 200 and batch.status_code == 201


async def _legacy_application(fleet) -> str:
    """An application that passed both reviews before payment methods were required: its account is gone."""
    _, application = await fleet.application_with_account(
        STUDENT, "teacher-preschool", "合格", "教師證書", "712345678901", "陳大文", reviewer="rev-ee"
    )
    await fleet.reviewed(application, first="rev-ee")
    async with fleet.runtime("rewards").db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM bank_accounts WHERE application_id = :a"), {"a": application})
    return application
