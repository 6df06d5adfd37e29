"""S13: no silent 200. A certificate edit or registration sent as JSON (or any body that is not a form)
was read as an empty form: 200 and nothing changed, so a client believed it saved. It is a 415 with a
zh-TW/English message now, and nothing changes; a form edit still works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.security
STUDENT = "s1100002"


async def test_s13_a_body_that_is_not_a_form_is_refused_not_ignored(fleet):
    certificate = (await fleet.register(STUDENT, "jlpt", "N2"))["id"]
    path = f"/api/certificates/{certificate}"
    before = await fleet.footprint("certificates")
    calls = [("PATCH", path, {"json": {"remarks": "S13 JSON edit", "certificate_no": "S13"}}),
             ("PATCH", path, {"content": b"remarks=S13", "headers": {"content-type": "text/plain"}}),
             ("PATCH", path, {"content": b'{"remarks": "S13"}', "headers": {"content-type": "application/merge-patch+json"}}),
             ("POST", "/api/certificates", {"json": {"entry_id": fleet.entries["jlpt"]["id"], "issued_on": "2026-01-01",
                                                     "email": "s1100002@demo.certhub.tw"}})]
    refused = 0
    async with fleet.client("certificates", STUDENT) as client:
        for method, url, kwargs in calls:
            answer = await client.request(method, url, **kwargs)
            error = answer.json().get("error", {}) if answer.status_code == 415 else {}
            refused += error.get("code") == "form_required" and "表單" in error["message"] and "form" in error["message_en"]
        unchanged = await fleet.footprint("certificates") == before
        form_edit = await client.patch(path, data={"remarks": "S13 form edit"})
    assert form_edit.status_code == 200 and form_edit.json()["remarks"] == "S13 form edit"
    print(f"S13: {refused}/{len(calls)} non-form bodies (JSON, text, merge-patch) refused with 415 and a message; "
          f"certificates unchanged: {unchanged}; the same edit as a form saved")
    assert refused == len(calls) and unchanged
