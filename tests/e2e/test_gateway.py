"""The gateway (nginx with deploy/nginx's configuration) routes every public prefix to its service."""

from __future__ import annotations

import httpx
import pytest

from certhub_kit.gateway import ROUTES


async def test_each_public_prefix_reaches_its_service_through_nginx(stack):
    async with httpx.AsyncClient(base_url=stack.url) as client:
        login = await client.post("/api/auth/dev-login", json={"username": "s1100001"})
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "X-Correlation-ID": "e2e-gateway-1"}
        for prefix, _service in ROUTES:
            if prefix == "/.well-known/did.json":  # one document, not a prefix
                response = await client.get(prefix, headers=headers)
                assert response.status_code == 200 and response.json()["id"].startswith("did:web:")
                continue
            response = await client.get(prefix.rstrip("/") + "/__no_such_path__", headers=headers)
            if prefix == "/credentials/":  # a credential's id URL leads to its verify page
                assert response.status_code == 303 and response.headers["location"] == "/verify/__no_such_path__"
                continue
            assert 400 <= response.status_code < 500, (prefix, response.status_code)
            if prefix in ("/api/confirm/", "/verify/"):  # links people open answer with an HTML page
                assert "text/html" in response.headers["content-type"] and "CertHub" in response.text
            else:
                assert "error" in response.json(), "answered by a CertHub service, not by nginx"
            assert response.headers.get("x-correlation-id") == "e2e-gateway-1", prefix
        page = await client.get("/")
        assert page.status_code == 200 and "<html" in page.text.lower()


async def test_gateway_refuses_bodies_over_the_upload_limit(stack):
    async with httpx.AsyncClient(base_url=stack.url) as client:
        response = await client.post(
            "/api/certificates", content=b"x" * (4 * 1024 * 1024), headers={"Content-Type": "application/octet-stream"}
        )
        assert response.status_code == 413


@pytest.mark.parametrize(
    "prefix",
    ["/api/catalog", "/api/certificates", "/api/review/queue", "/api/rewards/applications", "/api/notify/deliveries"],
)
async def test_private_paths_need_a_token_through_the_gateway(stack, prefix):
    async with httpx.AsyncClient(base_url=stack.url) as client:
        response = await client.get(prefix)
        assert response.status_code == 401
        assert response.json()["error"]["message_en"]
