"""Who reaches what: student A vs student B vs a reviewer of another department vs the centre,
anonymous and expired tokens, over every endpoint."""

from __future__ import annotations

import pytest

from .support import footprint, jpeg_bytes, register

ISOLATION = "certauth"

ENDPOINTS = {
    # name: (method, path template, body kind)
    "get": ("GET", "/api/certificates/{id}", None),
    "patch": ("PATCH", "/api/certificates/{id}", "form"),
    "delete": ("DELETE", "/api/certificates/{id}", None),
    "scan": ("GET", "/api/certificates/{id}/scan", None),
    "thumbnail": ("GET", "/api/certificates/{id}/thumbnail", None),
    "resend": ("POST", "/api/certificates/{id}/resend-confirmation", None),
}

# Expected status per (who, endpoint) for a certificate of s1100001 (dept IM, status submitted).
# The owner's delete would remove the certificate the other cells share: it deletes one of its own.
OWN_CERTIFICATE = {("s1100001", "delete")}
MATRIX = {
    "s1100001": {"get": 200, "patch": 200, "delete": 204, "scan": 307, "thumbnail": 307, "resend": 409},
    "s1100002": {"get": 404, "patch": 404, "delete": 404, "scan": 404, "thumbnail": 404, "resend": 404},
    "s1100003": {"get": 404, "patch": 404, "delete": 404, "scan": 404, "thumbnail": 404, "resend": 404},
    "rev-im": {"get": 200, "patch": 403, "delete": 403, "scan": 307, "thumbnail": 307, "resend": 403},
    "rev-ee": {"get": 403, "patch": 403, "delete": 403, "scan": 403, "thumbnail": 403, "resend": 403},
    "center": {"get": 200, "patch": 403, "delete": 403, "scan": 307, "thumbnail": 307, "resend": 403},
    "admin": {"get": 200, "patch": 403, "delete": 403, "scan": 307, "thumbnail": 307, "resend": 403},
}


@pytest.fixture(scope="module")
async def victim(service):
    async with service.as_user("s1100001") as client:
        answer = await register(client, service)
    assert answer.status_code == 201
    return answer.json()["id"]


async def call(client, endpoint: str, cert_id: str):
    method, path, body = ENDPOINTS[endpoint]
    kwargs = {"data": {"remarks": "changed"}} if body == "form" else {}
    return await client.request(method, path.format(id=cert_id), **kwargs)


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_matrix(service, victim, who, endpoint):
    expected = MATRIX[who][endpoint]
    target = victim
    if (who, endpoint) in OWN_CERTIFICATE:
        async with service.as_user(who) as client:
            own = await register(client, service)
        assert own.status_code == 201, own.text
        target = own.json()["id"]
    before = await footprint(service.runtime)
    async with service.as_user(who) as client:
        answer = await call(client, endpoint, target)
        if endpoint == "delete" and expected < 400:
            assert (await client.get(f"/api/certificates/{target}")).status_code == 404
    assert answer.status_code == expected, answer.text
    if expected >= 400:
        assert answer.json()["error"]["message"] and answer.json()["error"]["message_en"]
        assert await footprint(service.runtime) == before


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_anonymous_and_expired_tokens_get_401(service, victim, endpoint):
    expired = service.clients.issuer.issue(
        {"sub": "s1100001", "name": "王小明", "roles": ["student"], "dept": ["IM"]}, ttl_seconds=-60
    )
    for client, code in (
        (service.clients.anonymous(), "not_signed_in"),
        (service.clients.with_token(expired), "token_expired"),
        (service.clients.with_token("not.a.token"), "invalid_token"),
    ):
        async with client:
            answer = await call(client, endpoint, victim)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/certificates"),
        ("POST", "/api/certificates"),
        ("GET", "/api/catalog"),
        ("GET", "/api/catalog/categories"),
        ("POST", "/api/catalog"),
        ("POST", "/api/catalog/import"),
        ("GET", "/api/catalog/requests"),
        ("POST", "/api/catalog/requests"),
    ],
)
async def test_collection_endpoints_need_a_sign_in(service, method, path):
    async with service.clients.anonymous() as client:
        assert (await client.request(method, path)).status_code == 401


async def test_students_see_only_their_own_list(service, victim):
    async with service.as_user("s1100002") as other:
        listed = (await other.get("/api/certificates", params={"student": "s1100001", "dept": "IM"})).json()
    assert all(c["student_id"] == "s1100002" for c in listed["items"])
    async with service.as_user("rev-ee") as reviewer:
        listed = (await reviewer.get("/api/certificates")).json()
    assert victim not in {c["id"] for c in listed["items"]}


async def test_staff_cannot_register_and_admin_only_manages_the_catalog(service):
    before = await footprint(service.runtime)
    async with service.as_user("rev-im") as reviewer:
        answer = await reviewer.post(
            "/api/certificates",
            data={"entry_id": service.entry("gept")},
            files={"scan": ("s.jpg", jpeg_bytes(), "image/jpeg")},
        )
        assert answer.status_code == 403
    for who in ("s1100001", "rev-im", "center"):
        async with service.as_user(who) as client:
            assert (
                await client.post("/api/catalog", json={"name": "x", "issuer": "y", "category": 1})
            ).status_code == 403
            assert (
                await client.patch(f"/api/catalog/{service.entry('gept')}", json={"active": False})
            ).status_code == 403
            assert (
                await client.post("/api/catalog/import", content=b"national_code,name,issuer,category\n")
            ).status_code == 403
    async with service.as_user("rev-im") as reviewer:
        assert (await reviewer.post("/api/catalog/requests", json={"name": "x"})).status_code == 403
        assert (await reviewer.get("/api/catalog/requests")).status_code == 403
    assert await footprint(service.runtime) == before


async def test_unknown_and_malformed_ids_are_404(service):
    async with service.as_user("s1100001") as client:
        for path in (
            "/api/certificates/00000000-0000-0000-0000-000000000000",
            "/api/certificates/../etc",
            "/api/certificates/not-a-uuid/scan",
        ):
            assert (await client.get(path)).status_code == 404


async def test_owner_delete(service):
    async with service.as_user("s1100001") as client:
        mine = (await register(client, service)).json()["id"]
    async with service.as_user("s1100002") as other:
        assert (await other.delete(f"/api/certificates/{mine}")).status_code == 404
    async with service.as_user("s1100001") as client:
        assert (await client.delete(f"/api/certificates/{mine}")).status_code == 204
