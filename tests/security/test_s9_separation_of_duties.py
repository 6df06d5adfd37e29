"""S9: one person never does both reviews. The centre does the 初審 of an application, then tries its
複審 — one by one and in bulk: a 409 with a zh-TW/English reason, the application unchanged; another
person (admin) does the 複審, and the application records who did each."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文 (EE)


async def test_s9_the_first_reviewer_never_does_the_second_review(fleet):
    _, application = await fleet.application_with_account(
        STUDENT, "senior-securities-specialist", "合格", "證券商高級業務員", "700000000123", "陳大文", reviewer="rev-ee"
    )
    url = f"/api/rewards/applications/{application}"
    refused = 0
    async with fleet.client("rewards", "center") as centre, fleet.client("rewards", "admin") as admin:
        assert (await centre.post(f"{url}/first-review", json={"result": "Y", "note": "S9"})).status_code == 200
        before = await fleet.fingerprint(["rewards"])
        single = await centre.post(f"{url}/second-review", json={"result": "Y", "note": "S9"})
        bulk = await centre.post(
            "/api/rewards/applications/second-review",
            json=[{"application_id": application, "result": "Y", "note": "S9"}],
        )
        for status, error in (
            (single.status_code, single.json().get("error", {})),
            (bulk.json()["results"][0].get("status"), bulk.json()["results"][0].get("error", {})),
        ):
            refused += (
                status == 409
                and error.get("code") == "same_reviewer"
                and "同一人" in error["message"]
                and "same person" in error["message_en"]
            )
        unchanged = await fleet.fingerprint(["rewards"]) == before
        second = await admin.post(f"{url}/second-review", json={"result": "Y", "note": "S9 複審"})
        assert second.status_code == 200, second.text
        view = second.json()
    first_by, second_by = view["first_review"]["reviewer_id"], view["second_review"]["reviewer_id"]
    audit = await fleet.audit_rows("rewards", "subject = :s AND action LIKE 'application.%_reviewed'", s=application)
    print(
        f"S9: {refused}/2 attempts of the 初審 reviewer to do the 複審 (single, bulk) refused with 409; "
        f"rewards unchanged: {unchanged}; recorded 初審 by {first_by}, 複審 by {second_by}"
    )
    assert refused == 2 and unchanged and view["status"] == "second_passed"
    assert (first_by, second_by) == ("center", "admin")
    assert [(r.action, r.actor_id) for r in audit] == [
        ("application.first_reviewed", "center"),
        ("application.second_reviewed", "admin"),
    ]
