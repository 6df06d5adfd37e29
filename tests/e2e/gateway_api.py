"""Small helpers for the end-to-end flows: every call goes over HTTP through the gateway."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import httpx

from tests.support.samples import certificate_jpeg
from tests.support.waiting import eventually


async def login(client: httpx.AsyncClient, username: str) -> dict:
    response = await client.post("/api/auth/dev-login", json={"username": username})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def catalog_entry(client: httpx.AsyncClient, headers: dict, key: str, query: str) -> dict:
    """The catalog entry with this key, found by keyword search as a student would."""
    response = await client.get("/api/catalog", params={"q": query, "limit": 50}, headers=headers)
    assert response.status_code == 200, response.text
    return next(e for e in response.json()["items"] if e["key"] == key)


def level_id(entry: dict, name: str) -> str:
    return next(level["id"] for level in entry["levels"] if level["name"] == name)


def recently(days: int = 30) -> str:
    """An issue date inside the default 6-month reporting window, in the seeds' YYYYMMDD form."""
    return (date.today() - timedelta(days=days)).strftime("%Y%m%d")


def unique_no(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


async def register(
    client: httpx.AsyncClient,
    headers: dict,
    entry: dict,
    level: str,
    *,
    seed: int,
    email: str,
    certificate_no: str | None = None,
) -> dict:
    response = await client.post(
        "/api/certificates",
        headers=headers,
        data={
            "entry_id": entry["id"],
            "level_id": level_id(entry, level),
            "score": "",
            "issued_on": recently(),
            "email": email,
            "certificate_no": certificate_no or unique_no("E2E"),
            "mobile": "0912345678",
        },
        files={"scan": ("certificate.jpg", certificate_jpeg(seed), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def certificate_status(client: httpx.AsyncClient, headers: dict, certificate_id: str) -> str:
    response = await client.get(f"/api/certificates/{certificate_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["status"]


async def wait_for_status(
    client: httpx.AsyncClient, headers: dict, certificate_id: str, status: str, timeout: float = 15.0
) -> None:
    async def reached():
        return await certificate_status(client, headers, certificate_id) == status

    await eventually(reached, timeout=timeout)


async def queue_item(
    client: httpx.AsyncClient,
    headers: dict,
    certificate_id: str,
    *,
    status: str | None = None,
    student: str | None = None,
    timeout: float = 15.0,
) -> dict:
    """Waits until the certificate is in the reviewer's queue (built from events) and returns it."""
    params = {k: v for k, v in {"status": status, "student": student, "limit": 200}.items() if v}

    async def found():
        response = await client.get("/api/review/queue", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return next((i for i in response.json()["items"] if i["certificate_id"] == certificate_id), None)

    return await eventually(found, timeout=timeout)


async def wait_for_review_status(
    client: httpx.AsyncClient, headers: dict, certificate_id: str, status: str, timeout: float = 15.0
) -> dict:
    """Review learns the applied status back from certificates' events; until then a decision is pending."""

    async def reached():
        response = await client.get(f"/api/review/{certificate_id}", headers=headers)
        assert response.status_code == 200, response.text
        item = response.json()
        return item if item["status"] == status else None

    return await eventually(reached, timeout=timeout)


async def decide(
    client: httpx.AsyncClient,
    headers: dict,
    certificate_id: str,
    decision: str = "approved",
    reason: str | None = None,
    version: int | None = None,
) -> httpx.Response:
    """A decision naming the version the reviewer saw (read from the item when not given)."""
    if version is None:
        shown = await client.get(f"/api/review/{certificate_id}", headers=headers)
        version = shown.json()["version"] if shown.status_code == 200 else 1
    return await client.post(
        f"/api/review/{certificate_id}/decision",
        headers=headers,
        json={"decision": decision, "reason": reason, "version": version},
    )


def plain_text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/api/confirm/[A-Za-z0-9_\-]+", plain_text(message)).group(0)
