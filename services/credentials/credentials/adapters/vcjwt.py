"""The VC-JWT form of a credential (W3C VC-JOSE-COSE): a compact JWS whose payload is the credential
itself, header ``alg`` EdDSA, ``typ`` vc+jwt, ``cty`` vc, ``kid`` the verification method."""

from __future__ import annotations

import json

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..domain.proof import KeyLookup

MEDIA_TYPE = "application/vc+jwt"
_JWS = jwt.PyJWS(algorithms=["EdDSA"])


class JwtProblem(ValueError):
    pass


def encode(credential: dict, key: Ed25519PrivateKey, kid: str) -> str:
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    payload = json.dumps(unsecured, ensure_ascii=False, separators=(",", ":")).encode()
    return _JWS.encode(payload, key, algorithm="EdDSA", headers={"kid": kid, "typ": "vc+jwt", "cty": "vc"})


def decode(token: str, key_for: KeyLookup) -> tuple[dict, str]:
    """(credential, kid) of a VC-JWT signed by one of the issuer's keys; raises :class:`JwtProblem`."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise JwtProblem("not a compact JWS") from exc
    if header.get("alg") != "EdDSA" or header.get("typ") != "vc+jwt":
        raise JwtProblem("not an EdDSA vc+jwt")
    kid = header.get("kid")
    public = key_for(kid) if isinstance(kid, str) else None
    if public is None or not isinstance(kid, str):
        raise JwtProblem("the kid is not a key of this issuer")
    try:
        payload = _JWS.decode(token, public, algorithms=["EdDSA"])
        credential = json.loads(payload)
    except (jwt.PyJWTError, ValueError) as exc:
        raise JwtProblem("the signature does not match the credential") from exc
    if not isinstance(credential, dict):
        raise JwtProblem("the payload is not a credential")
    return credential, kid


def peek(token: str) -> dict:
    """The payload of a JWS without checking it (to report what a failed one claims); {} if unreadable."""
    try:
        payload = json.loads(_JWS.decode(token, options={"verify_signature": False}))
    except (jwt.PyJWTError, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}
