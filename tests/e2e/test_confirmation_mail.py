"""Issue 6's proof: a registration on a confirmation track produces a real email whose link,
followed by a client, confirms the certificate — all services running as processes."""

from __future__ import annotations

import asyncio
import re

import httpx

from tests.support.samples import certificate_jpeg


async def login(client: httpx.AsyncClient, username: str) -> dict:
    response = await client.post("/api/auth/dev-login", json={"username": username})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def it_entry(client: httpx.AsyncClient, headers: dict) -> dict:
    response = await client.get("/api/catalog", params={"q": "TQC", "category": 3}, headers=headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"] if isinstance(response.json(), dict) else response.json()
    entry = next(e for e in items if e["levels"])
    return entry


def plain_text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


async def test_registration_mail_link_confirms_the_certificate(stack, smtp_sink):
    address = "e2e-confirm@student.test"
    async with httpx.AsyncClient(base_url=stack.url, timeout=20) as client:
        student = await login(client, "s1100002")
        entry = await it_entry(client, student)
        registered = await client.post(
            "/api/certificates",
            headers=student,
            data={
                "entry_id": entry["id"],
                "level_id": entry["levels"][0]["id"],
                "score": "",
                "issued_on": "20260901",
                "email": address,
                "certificate_no": "E2E-CONFIRM-1",
            },
            files={"scan": ("scan.jpg", certificate_jpeg(7), "image/jpeg")},
        )
        assert registered.status_code == 201, registered.text
        certificate = registered.json()
        assert certificate["status"] == "draft"

        mails = await smtp_sink.wait_for(lambda m: address in (m["To"] or ""), timeout=20)
        assert len(mails) == 1
        link = re.search(r"https?://\S+/api/confirm/[A-Za-z0-9_\-]+", plain_text(mails[0])).group(0)
        assert link.startswith(stack.url), "links are built from the configured public base URL"

        page = await client.get(link)
        assert page.status_code == 200 and "<form" in page.text
        assert (await client.get(f"/api/certificates/{certificate['id']}", headers=student)).json()["status"] == "draft"

        confirmed = await client.post(link)
        assert confirmed.status_code == 200
        for _ in range(50):
            now = (await client.get(f"/api/certificates/{certificate['id']}", headers=student)).json()
            if now["status"] == "submitted":
                break
            await asyncio.sleep(0.1)
        assert now["status"] == "submitted"

        replay = await client.post(link)
        assert replay.status_code in (404, 409, 410)
