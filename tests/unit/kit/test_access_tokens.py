"""Only access tokens for this API sign a person in: ID and refresh tokens, other clients' tokens and
tokens beyond the clock leeway are refused; production settings insist on a TLS provider."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from certhub_kit.auth import DevIssuer, TokenVerifier, generate_dev_key
from certhub_kit.errors import Unauthorized
from certhub_kit.settings import ServiceSettings

ISSUER, AUDIENCE, CLIENT = "https://sso.example.edu.tw/realms/certhub", "certhub", "certhub-web"
PRODUCTION = {"env": "production", "database_url": "x", "amqp_url": "y"}


@pytest.fixture(scope="module")
def key():
    return serialization.load_pem_private_key(generate_dev_key().encode(), password=None)


def token(key, header: dict | None = None, **claims) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "f81d4fae-7dec",
        "preferred_username": "rev-im",
        "name": "林審核",
        "iat": now,
        "exp": now + 300,
        "realm_access": {"roles": ["reviewer"]},
        "dept": ["IM"],
        **claims,
    }
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1", **(header or {})})


def verifier(key, **options) -> TokenVerifier:
    return TokenVerifier(public_key=key.public_key(), issuer=ISSUER, audience=AUDIENCE, client_id=CLIENT, **options)


def refused(check: TokenVerifier, value: str) -> str:
    with pytest.raises(Unauthorized) as caught:
        check.verify(value)
    assert caught.value.status == 401 and caught.value.message and caught.value.message_en
    return caught.value.code


def test_keycloak_and_oidc_provider_access_tokens_are_accepted(key):
    check = verifier(key)
    keycloak = check.verify(token(key, {"typ": "JWT"}, typ="Bearer", azp=CLIENT))
    oidc_provider = check.verify(token(key, {"typ": "at+jwt"}, client_id=CLIENT))
    plain = check.verify(token(key))  # no typ at all
    assert keycloak.sub == oidc_provider.sub == plain.sub == "rev-im" and keycloak.depts == ("IM",)
    assert check.verify(token(key, {"typ": "application/at+JWT"})).name == "林審核"


@pytest.mark.parametrize("header_typ", ["JWS", "id_token+jwt", "logout+jwt", "secevent+jwt"])
def test_a_jose_header_type_other_than_an_access_token_is_refused(key, header_typ):
    assert refused(verifier(key), token(key, {"typ": header_typ})) == "wrong_token_type"


@pytest.mark.parametrize("payload_typ", ["ID", "Refresh", "Offline", "Logout", "id"])
def test_an_id_or_refresh_token_is_refused(key, payload_typ):
    assert refused(verifier(key), token(key, typ=payload_typ, azp=CLIENT)) == "wrong_token_type"


def test_a_token_issued_to_another_client_is_refused(key):
    assert refused(verifier(key), token(key, typ="Bearer", azp="library-app")) == "wrong_token_type"
    assert refused(verifier(key), token(key, {"typ": "at+jwt"}, client_id="library-app")) == "wrong_token_type"
    assert TokenVerifier(public_key=key.public_key()).verify(token(key, azp="library-app")).sub == "rev-im"


def test_wrong_audience_or_issuer_is_refused(key):
    assert refused(verifier(key), token(key, aud=CLIENT)) == "invalid_token"  # an ID token's aud is the client
    assert refused(verifier(key), token(key, iss="https://evil.example/realms/certhub")) == "invalid_token"


def test_clock_leeway_is_at_most_sixty_seconds(key):
    now = int(time.time())
    late = token(key, exp=now - 20)
    assert verifier(key, leeway_s=30).verify(late).sub == "rev-im"
    assert refused(verifier(key, leeway_s=0), late) == "token_expired"
    capped = verifier(key, leeway_s=3600)
    assert capped.leeway_s == 60
    assert refused(capped, token(key, exp=now - 90)) == "token_expired"
    assert refused(capped, token(key, nbf=now + 120)) == "invalid_token"
    assert capped.verify(token(key, nbf=now + 30)).sub == "rev-im"
    with pytest.raises(ValueError, match="oidc_leeway_s"):
        ServiceSettings(env="test", oidc_leeway_s=61)


def test_dev_issuer_tokens_keep_working():
    issuer = DevIssuer(generate_dev_key())
    principal = TokenVerifier(public_key=issuer.public_key).verify(issuer.for_user("center"))
    assert principal.is_center


def test_production_needs_issuer_and_audience_not_a_jwks_url():
    with pytest.raises(ValueError, match="CERTHUB_OIDC_ISSUER is required"):
        ServiceSettings(**PRODUCTION, oidc_audience=AUDIENCE, oidc_jwks_url="https://sso/certs")
    with pytest.raises(ValueError, match="CERTHUB_OIDC_AUDIENCE is required"):
        ServiceSettings(**PRODUCTION, oidc_issuer=ISSUER)
    ok = ServiceSettings(**PRODUCTION, oidc_issuer=ISSUER, oidc_audience=AUDIENCE)
    assert ok.oidc_jwks_url == "" and ok.oidc_client_id == "certhub-web" and ok.oidc_scopes == "openid profile email"


@pytest.mark.parametrize("field", ["oidc_issuer", "oidc_jwks_url"])
def test_production_refuses_plain_http_to_the_provider_except_loopback(field):
    settings = {**PRODUCTION, "oidc_issuer": ISSUER, "oidc_audience": AUDIENCE}
    with pytest.raises(ValueError, match="must use https"):
        ServiceSettings(**{**settings, field: "http://sso.example.edu.tw/realms/certhub"})
    for loopback in (
        "http://127.0.0.1:8080/realms/certhub",
        "http://127.8.0.1/x",
        "http://[::1]:8080/x",
        "http://localhost:8080/x",
    ):
        assert getattr(ServiceSettings(**{**settings, field: loopback}), field) == loopback
    allowed = ServiceSettings(**{**settings, field: "http://keycloak:8080/x", "oidc_allow_http": True})
    assert allowed.oidc_allow_http
    assert ServiceSettings(env="test", **{field: "http://keycloak:8080/x"}).relaxed
