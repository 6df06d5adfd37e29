"""Tokens checked against an identity provider's JWKS over HTTP, without stalling the event loop."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from certhub_kit.auth import DEV_KEY_ID, DevIssuer, TokenVerifier, generate_dev_key
from certhub_kit.errors import Unauthorized


class Jwks(BaseHTTPRequestHandler):
    """``/certs`` serves the keys; ``/realms/certhub/.well-known/openid-configuration`` points at them."""

    document = b"{}"
    delay_s = 0.0
    served = 0
    discovered = 0

    def do_GET(self):  # noqa: N802 (http.server's hook)
        if self.path.endswith("/.well-known/openid-configuration"):
            type(self).discovered += 1
            base = f"http://127.0.0.1:{self.server.server_port}"
            keys = "http://sso.example.invalid/certs" if self.path.startswith("/plain/") else f"{base}/certs"
            return self._answer(json.dumps({"issuer": f"{base}/realms/certhub", "jwks_uri": keys}).encode())
        if self.path != "/certs":
            self.send_response(404)
            self.end_headers()
            return None
        time.sleep(self.delay_s)  # a slow identity provider
        type(self).served += 1
        return self._answer(self.document)

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    issuer = DevIssuer(generate_dev_key())
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(issuer.public_key))
    Jwks.document = json.dumps({"keys": [{**key, "kid": DEV_KEY_ID, "use": "sig", "alg": "RS256"}]}).encode()
    Jwks.delay_s, Jwks.served, Jwks.discovered = 0.4, 0, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield issuer, f"http://127.0.0.1:{server.server_port}/certs"
    server.shutdown()


async def test_the_first_check_fetches_keys_off_the_event_loop_and_later_ones_are_remembered(provider):
    issuer, url = provider
    verifier = TokenVerifier(jwks_url=url)
    ticks = 0

    async def heartbeat():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    principal = await verifier.verify_async(issuer.for_user("rev-im"))
    beating.cancel()
    assert principal.sub == "rev-im" and principal.depts == ("IM",)
    assert ticks >= 10, "the event loop stalled while the keys were fetched"
    again = await verifier.verify_async(issuer.for_user("s1100001"))  # keys cached by the JWKS client
    assert again.sub == "s1100001" and Jwks.served == 1


async def test_a_token_signed_by_another_key_is_refused(provider):
    _, url = provider
    with pytest.raises(Unauthorized) as refused:
        await TokenVerifier(jwks_url=url).verify_async(DevIssuer(generate_dev_key()).for_user("admin"))
    assert refused.value.code == "invalid_token"


async def test_without_a_jwks_url_the_keys_are_found_through_discovery_on_first_use(provider):
    dev, url = provider
    issuer = url.removesuffix("/certs") + "/realms/certhub"
    verifier = TokenVerifier(issuer=issuer, audience="certhub")
    assert Jwks.discovered == 0  # nothing fetched when the verifier is built
    token = dev.issue({"iss": issuer, "aud": "certhub", "sub": "rev-ee", "typ": "Bearer", "dept": ["EE"]})
    assert (await verifier.verify_async(token)).depts == ("EE",)
    again = dev.issue({"iss": issuer, "aud": "certhub", "sub": "center", "roles": ["center"]})
    assert (await verifier.verify_async(again)).is_center
    assert Jwks.discovered == 1 and Jwks.served == 1


async def test_a_discovered_plain_http_jwks_url_is_refused_when_tls_is_required(provider):
    dev, url = provider
    issuer = url.removesuffix("/certs") + "/plain/realms/certhub"  # its discovery names http://sso.example.invalid
    verifier = TokenVerifier(issuer=issuer, require_tls=True)
    with pytest.raises(Unauthorized) as refused:
        await verifier.verify_async(dev.issue({"iss": issuer, "sub": "x"}))
    assert refused.value.code == "invalid_token" and Jwks.discovered == 1 and Jwks.served == 0


async def test_an_unreachable_provider_answers_401_and_is_asked_again_later():
    verifier = TokenVerifier(issuer="http://127.0.0.1:9/realms/certhub")
    token = DevIssuer(generate_dev_key()).issue({"iss": "http://127.0.0.1:9/realms/certhub", "sub": "x"})
    for _ in range(2):
        with pytest.raises(Unauthorized) as refused:
            await verifier.verify_async(token)
        assert refused.value.code == "invalid_token"
