"""S10: bank data reaches the centre only. Full account numbers appear in the centre's payout view and
transfer file (each read audited, by the centre); the admin sees the same batch masked and may not
export it; department reviewers, the admin and other students never get the number, in any answer
or export, and the passbook cover (which shows the number) goes to its owner and the centre only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文 (EE)
ACCOUNT = "7" + "1" * 10 + "3"


async def test_s10_full_account_numbers_and_passbooks_for_the_centre_only(fleet):
    _, application = await fleet.application_with_account(
        STUDENT, "teacher-secondary", "合格", "教師證書", ACCOUNT, "陳大文", reviewer="rev-ee"
    )
    await fleet.reviewed(application, first="rev-ee")
    url = f"/api/rewards/applications/{application}"
    async with fleet.client("rewards", "center") as centre:
        batch = (await centre.post("/api/rewards/payouts", json={"application_ids": [application]})).json()
    reads_before = len(
        await fleet.audit_rows("rewards", "action = 'bank_account.read' AND subject = :s", s=application)
    )
    others = {
        "admin": [
            ("GET", f"/api/rewards/payouts/{batch['id']}"),
            ("GET", "/api/rewards/payouts"),
            ("GET", "/api/rewards/applications/export.csv"),
            ("GET", "/api/rewards/applications/export.xlsx"),
            ("GET", url),
        ],
        "rev-ee": [("GET", url), ("GET", "/api/rewards/applications"), ("GET", "/api/rewards/applications/export.csv")],
        "s1100001": [("GET", url), ("GET", "/api/rewards/applications")],
    }
    leaks, reads = 0, 0
    for who, calls in others.items():
        async with fleet.client("rewards", who) as client:
            for method, path in calls:
                answer = await client.request(method, path)
                reads += 1
                leaks += ACCOUNT in answer.text or ACCOUNT.encode() in answer.content
    async with fleet.client("rewards", "admin") as admin:
        masked = (await admin.get(f"/api/rewards/payouts/{batch['id']}")).json()
        admin_export = await admin.get(f"/api/rewards/payouts/{batch['id']}/export.csv")
    assert masked["applications"][0]["bank_account"]["account_masked"].endswith(ACCOUNT[-4:])
    assert masked["applications"][0]["bank_account_full"] is None
    assert admin_export.status_code == 403 and admin_export.json()["error"]["code"] == "bank_data_center_only"

    passbook = {}
    for who in ("rev-ee", "rev-im", "admin", STUDENT, "center"):
        async with fleet.client("rewards", who) as client:
            passbook[who] = (await client.get(f"{url}/passbook")).status_code
    async with fleet.client("rewards", "center") as centre:
        full_view = await centre.get(f"/api/rewards/payouts/{batch['id']}")
        transfer = await centre.get(f"/api/rewards/payouts/{batch['id']}/export.csv")
    assert ACCOUNT in full_view.text and ACCOUNT in transfer.text
    reads_rows = await fleet.audit_rows("rewards", "action = 'bank_account.read' AND subject = :s", s=application)
    new_reads = reads_rows[reads_before:]
    refused = sum(passbook[w] in (403, 404) for w in ("rev-ee", "rev-im", "admin"))
    print(
        f"S10: the full account number reached 0 of {reads} answers to admin, reviewers and another student "
        f"({leaks} leaks); admin's transfer-file export refused 403; passbook cover refused to {refused}/3 "
        f"(reviewer, other reviewer, admin), served to owner and centre; {len(new_reads)} full reads audited, "
        f"all by center: {all(r.actor_id == 'center' for r in new_reads)}"
    )
    assert leaks == 0 and refused == 3 and passbook[STUDENT] == passbook["center"] == 200
    assert len(new_reads) == 2 and all(r.actor_id == "center" for r in new_reads)
