"""The OIDC provider as the services see it: where its signing keys are, and which URLs are safe.

The JWKS URL comes from the issuer's discovery document
(``{issuer}/.well-known/openid-configuration`` → ``jwks_uri``), fetched the first time a token is
checked (never at import or start-up, so a provider that starts later is fine) and kept for the
process; ``CERTHUB_OIDC_JWKS_URL`` overrides it (docs/CONVENTIONS.md lists the settings).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import urllib.request
from urllib.parse import urlsplit

import jwt

DISCOVERY_PATH = "/.well-known/openid-configuration"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_refused(url: str) -> bool:
    """True for an ``http://`` URL to anything but this machine (tokens and keys must travel over TLS)."""
    return urlsplit(url).scheme.lower() != "https" and not is_loopback(url)


class KeySource:
    """A ``PyJWKClient`` for the provider's keys, built on first use from the JWKS URL or discovery."""

    def __init__(self, *, issuer: str = "", jwks_url: str = "", require_tls: bool = False, timeout_s: float = 10.0):
        if not issuer and not jwks_url:
            raise ValueError("an issuer or a JWKS URL is required to find the signing keys")
        self.issuer = issuer.rstrip("/")
        self.jwks_url = jwks_url
        self.require_tls = require_tls
        self.timeout_s = timeout_s
        self._client: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def signing_key(self, token: str):
        return self.client().get_signing_key_from_jwt(token).key

    def client(self) -> jwt.PyJWKClient:
        with self._lock:  # one discovery at a time; a failed one is tried again by the next token
            if self._client is None:
                url = self.jwks_url or self._discover()
                if self.require_tls and plain_http_refused(url):
                    raise jwt.PyJWKClientError(f"refusing a JWKS URL without TLS: {url}")
                self._client = jwt.PyJWKClient(url, cache_keys=True, lifespan=600, timeout=int(self.timeout_s))
            return self._client

    def _discover(self) -> str:
        try:
            with urllib.request.urlopen(self.issuer + DISCOVERY_PATH, timeout=self.timeout_s) as answer:  # noqa: S310
                document = json.load(answer)
        except (OSError, ValueError) as exc:
            raise jwt.PyJWKClientConnectionError(f"OIDC discovery failed at {self.issuer}: {exc}") from None
        jwks_uri = document.get("jwks_uri") if isinstance(document, dict) else None
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise jwt.PyJWKClientError(f"the discovery document of {self.issuer} has no jwks_uri")
        return jwks_uri
