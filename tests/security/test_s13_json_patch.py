"""S13: no silent 200. A certificate edit or registration sent as JSON (or any body that is not a form)
was read as an empty form: 200 and nothing changed, so a client believed it saved. It is a 415 with a
zh-TW/English message now, and nothing changes; a form edit still works. The JSON endpoints' same trap —
a misspelt field dropped and the rest saved (an application "edited" with ``certificate_id`` resubmitted
unchanged) — is a 422 naming the field."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.security
STUDENT = "s1100002"


async def test_s13_a_body_that_is_not_a_form_is_refused_not_ignored(fleet):
    certificate = (await fleet.register(STUDENT, "jlpt", "N2"))["id"]
    path = f"/api/certificates/{certificate}"
    before = await fleet.footprint("certificates")
    calls = [
        ("PATCH", path, {"json": {"remarks": "S13 JSON edit", "certificate_no": "S13"}}),
        ("PATCH", path, {"content": b"remarks=S13", "headers": {"content-type": "text/plain"}}),
        (
            "PATCH",
            path,
            {"content": b'{"remarks": "S13"}', "headers": {"content-type": "application/merge-patch+json"}},
        ),
        (
            "POST",
            "/api/certificates",
            {
                "json": {
                    "entry_id": fleet.entries["jlpt"]["id"],
                    "issued_on": "2026-01-01",
                    "email": "s1100002@demo.certhub.tw",
                }
            },
        ),
    ]
    refused = 0
    async with fleet.client("certificates", STUDENT) as client:
        for method, url, kwargs in calls:
            answer = await client.request(method, url, **kwargs)
            error = answer.json().get("error", {}) if answer.status_code == 415 else {}
            refused += (
                error.get("code") == "form_required" and "表單" in error["message"] and "form" in error["message_en"]
            )
        unchanged = await fleet.footprint("certificates") == before
        form_edit = await client.patch(path, data={"remarks": "S13 form edit"})
    assert form_edit.status_code == 200 and form_edit.json()["remarks"] == "S13 form edit"
    typos = await _misspelt_json_fields(fleet)
    print(
        f"S13: {refused}/{len(calls)} non-form bodies (JSON, text, merge-patch) refused with 415 and a message; "
        f"certificates unchanged: {unchanged}; the same edit as a form saved; {sum(typos)}/{len(typos)} JSON "
        "edits with a misspelt field refused with 422, nothing saved"
    )
    assert refused == len(calls) and unchanged and all(typos)


async def _misspelt_json_fields(fleet) -> list[bool]:
    async with fleet.client("rewards", "admin") as admin:
        standard = (await admin.get("/api/rewards/standards", params={"year": 114})).json()[0]
    calls = [
        ("rewards", "admin", "PATCH", f"/api/rewards/standards/{standard['id']}", {"amont": 1}),
        (
            "rewards",
            "admin",
            "PUT",
            "/api/rewards/windows/114",
            {"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-05-01T00:00:00+08:00", "note": "typo"},
        ),
        ("certificates", STUDENT, "POST", "/api/catalog/requests", {"name": "S13", "isuer": "x"}),
    ]
    outcomes = []
    for service, who, method, path, body in calls:
        before = await fleet.fingerprint([service])
        async with fleet.client(service, who) as client:
            answer = await client.request(method, path, json=body)
        outcomes.append(answer.status_code == 422 and await fleet.fingerprint([service]) == before)
    return outcomes
