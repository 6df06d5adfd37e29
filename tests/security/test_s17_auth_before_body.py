"""S17: every endpoint that takes a body and needs a signed-in user — the centre's original, the
passbook cover, every JSON endpoint of the four services (read from the apps' own routes) — answers
401 with no token, an expired token and a forged one before reading a single byte of a 600 MB body
offered slowly. The standalone's router caps bodies as the gateway does: 413 in the kit's shape."""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import pytest
from fastapi.routing import APIRoute

from certhub_kit.auth import demo_claims
from certhub_kit.gateway import MAX_BODY_BYTES, PathRouter
from certhub_kit.guards import _depends_on_user
from tests.support.fleet import SERVICES

pytestmark = pytest.mark.security
OFFERED = 600 * 1024 * 1024
CHUNK = 64 * 1024


class SlowBody:
    """An ASGI ``receive`` offering ``total`` bytes in chunks, a little at a time; counts what was read."""

    PART = b'--x\r\nContent-Disposition: form-data; name="scan"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'

    def __init__(self, total: int, pause: float = 0.001):
        self.total, self.pause, self.read = total, pause, 0

    async def __call__(self) -> dict:
        if self.read >= self.total:
            await asyncio.sleep(3600)  # the client waits for an answer
        await asyncio.sleep(self.pause)
        size = min(CHUNK, self.total - self.read)
        chunk = (self.PART + b"x" * size)[:size] if self.read == 0 else b"x" * size  # one file part, endless
        self.read += size
        return {"type": "http.request", "body": chunk, "more_body": self.read < self.total}


async def call(app, method: str, path: str, headers: dict[str, str], body: SlowBody) -> tuple[int, dict]:
    sent: list[dict] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }

    async def send(message: dict) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, body, send), 10)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))


def api_routes(routes) -> list[APIRoute]:
    """The endpoints of a list of routes, through included routers (their own prefixes are in the paths)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def body_endpoints(app) -> list[tuple[str, str]]:
    """(method, concrete path) of every route that takes a body and needs a user."""
    found = []
    for route in api_routes(app.routes):
        if not _depends_on_user(route.dependant):
            continue
        for method in sorted(route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            found.append((method, re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path)))
    return found


def token_problems(fleet) -> dict[str, dict[str, str]]:
    expired = fleet.issuer.issue(demo_claims("center"), ttl_seconds=-60)
    return {
        "no token": {},
        "expired": {"authorization": f"Bearer {expired}"},
        "forged": {"authorization": f"Bearer {fleet.forger.for_user('center')}"},
    }


async def test_s17_no_body_is_read_before_the_token_is_checked(fleet) -> None:
    tried, refused_unread, worst, failures = 0, 0, 0, []
    for service in SERVICES:
        app = fleet.apps[service]
        for method, path in body_endpoints(app):
            for problem, auth in token_problems(fleet).items():
                body = SlowBody(OFFERED)
                headers = {"content-type": "multipart/form-data; boundary=x", "content-length": str(OFFERED), **auth}
                status, answer = await call(app, method, path, headers, body)
                tried += 1
                worst = max(worst, body.read)
                if status == 401 and body.read == 0 and answer["error"]["message_en"]:
                    refused_unread += 1
                else:
                    failures.append((method, path, problem, status, body.read))
    named = {p for _, p in body_endpoints(fleet.apps["review"]) if p.endswith("/original")} | {
        p for _, p in body_endpoints(fleet.apps["rewards"]) if p.endswith("/bank-account")
    }
    print(
        f"\nS17: {refused_unread}/{tried} body endpoint × token-problem requests answered 401 before reading the "
        f"body (at most {worst} of {OFFERED // 2**20} MB offered read), the original and bank-account included"
    )
    assert len(named) == 2 and tried >= 60
    assert not failures, failures[:10]


async def test_s17_the_standalone_caps_bodies_like_the_gateway(fleet) -> None:
    router = PathRouter({s: fleet.apps[s] for s in SERVICES}, fleet.apps["notify"])
    token = {"authorization": f"Bearer {fleet.issuer.for_user('center')}"}
    path = f"/api/review/{uuid.uuid4()}/original"
    declared = SlowBody(MAX_BODY_BYTES + 1)
    status, answer = await call(
        router,
        "POST",
        path,
        {"content-length": str(MAX_BODY_BYTES + 1), **token, "content-type": "multipart/form-data; boundary=x"},
        declared,
    )
    assert (status, answer["error"]["code"], declared.read) == (413, "payload_too_large", 0)
    chunked = SlowBody(MAX_BODY_BYTES * 2, pause=0)
    status, answer = await call(
        router,
        "POST",
        path,
        {"transfer-encoding": "chunked", **token, "content-type": "multipart/form-data; boundary=x"},
        chunked,
    )
    assert status == 413 and answer["error"]["message"] and chunked.read <= MAX_BODY_BYTES + CHUNK
    print(
        f"S17: the standalone answers 413 to {MAX_BODY_BYTES // 2**20} MiB + 1 declared (0 bytes read) and chunked "
        f"({chunked.read // 2**20} MiB read before the 413)"
    )
