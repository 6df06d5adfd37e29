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
    document = b"{}"
    delay_s = 0.0
    served = 0

    def do_GET(self):  # noqa: N802 (http.server's hook)
        time.sleep(self.delay_s)  # a slow identity provider
        type(self).served += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.document)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    issuer = DevIssuer(generate_dev_key())
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(issuer.public_key))
    Jwks.document = json.dumps({"keys": [{**key, "kid": DEV_KEY_ID, "use": "sig", "alg": "RS256"}]}).encode()
    Jwks.delay_s, Jwks.served = 0.4, 0
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
