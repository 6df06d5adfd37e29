"""Who is asking: OIDC bearer tokens verified by every service, and a dev issuer.

Claims used: ``sub``, ``name``, ``email``, ``roles`` (or Keycloak's
``realm_access.roles``), ``dept`` (list), and for students ``division``,
``program``, ``class``. A school whose provider names them otherwise renames them
with ``CERTHUB_OIDC_CLAIMS`` (a JSON object, e.g. ``{"roles": "groups", "dept":
"extn.department"}``; a dotted name reads a nested claim) — see the README.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .errors import Forbidden, Unauthorized
from .oidc import KeySource

STUDENT, REVIEWER, CENTER, ADMIN = "student", "reviewer", "center", "admin"
# What each part of a Principal is read from, unless CERTHUB_OIDC_CLAIMS renames it.
CLAIM_NAMES = {
    "username": "preferred_username",
    "name": "name",
    "email": "email",
    "roles": "roles",
    "dept": "dept",
    "division": "division",
    "program": "program",
    "class": "class",
}
STAFF = frozenset({REVIEWER, CENTER, ADMIN})
DEV_ISSUER = "certhub-dev"
DEV_KEY_ID = "certhub-dev-1"


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    email: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    depts: tuple[str, ...] = ()
    division: str | None = None
    program: str | None = None
    klass: str | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_student(self) -> bool:
        return STUDENT in self.roles

    @property
    def is_center(self) -> bool:
        return CENTER in self.roles or ADMIN in self.roles

    @property
    def dept(self) -> str | None:
        return self.depts[0] if self.depts else None

    def can_review_dept(self, dept: str | None) -> bool:
        """Centre and admin see every department; a reviewer only their own."""
        if self.is_center:
            return True
        return REVIEWER in self.roles and dept is not None and dept in self.depts

    def require(self, *roles: str) -> Principal:
        if not self.has(*roles):
            raise Forbidden("您沒有執行此操作的權限", "You are not allowed to do this", code="forbidden_role")
        return self

    @classmethod
    def from_claims(cls, claims: dict, names: dict[str, str] | None = None) -> Principal:
        names = {**CLAIM_NAMES, **(names or {})}

        def read(part: str):
            value: object = claims
            for key in names[part].split("."):
                value = value.get(key) if isinstance(value, dict) else None
            return value

        roles = read("roles") or (claims.get("realm_access") or {}).get("roles") or []
        depts = read("dept") or []
        if isinstance(depts, str):
            depts = [depts]
        if isinstance(roles, str):
            roles = roles.split()
        return cls(
            sub=str(read("username") or claims["sub"]),
            name=read("name") or read("username") or claims["sub"],
            email=read("email"),
            roles=frozenset(r for r in roles if r in {STUDENT, *STAFF}),
            depts=tuple(depts),
            division=read("division"),
            program=read("program"),
            klass=read("class"),
        )


DEMO_USERS: dict[str, dict] = {
    "s1100001": {
        "name": "王小明",
        "roles": [STUDENT],
        "dept": ["IM"],
        "division": "day",
        "program": "bachelor",
        "class": "IM3A",
    },
    "s1100002": {
        "name": "李小華",
        "roles": [STUDENT],
        "dept": ["IM"],
        "division": "day",
        "program": "bachelor",
        "class": "IM3A",
    },
    "s1100003": {
        "name": "陳大文",
        "roles": [STUDENT],
        "dept": ["EE"],
        "division": "day",
        "program": "bachelor",
        "class": "EE2B",
    },
    "rev-im": {"name": "林審核", "roles": [REVIEWER], "dept": ["IM"]},
    "rev-ee": {"name": "張審核", "roles": [REVIEWER], "dept": ["EE"]},
    "center": {"name": "職輔組", "roles": [CENTER], "dept": []},
    "admin": {"name": "系統管理員", "roles": [ADMIN], "dept": []},
}


def demo_claims(username: str) -> dict:
    user = DEMO_USERS[username]
    return {"sub": username, "email": f"{username}@demo.certhub.tw", **user}


def generate_dev_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


class DevIssuer:
    """Signs tokens for the demo users (dev, standalone and tests only)."""

    def __init__(self, private_key_pem: str, *, ttl_seconds: int = 8 * 3600):
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the dev signing key must be an RSA private key (RS256)")
        self._private = key
        self.public_key = self._private.public_key()
        self.ttl = ttl_seconds

    def issue(self, claims: dict, *, ttl_seconds: int | None = None) -> str:
        now = int(time.time())
        body = {
            "iss": DEV_ISSUER,
            "iat": now,
            "exp": now + (ttl_seconds if ttl_seconds is not None else self.ttl),
            **claims,
        }
        return jwt.encode(body, self._private, algorithm="RS256", headers={"kid": DEV_KEY_ID})

    def for_user(self, username: str, **overrides) -> str:
        return self.issue({**demo_claims(username), **overrides})


ACCESS_TOKEN_HEADER_TYPES = frozenset({"jwt", "at+jwt", "application/at+jwt"})
"""JOSE ``typ`` values of an access token (RFC 9068's ``at+jwt``, as npm oidc-provider sends; Keycloak's ``JWT``)."""
MAX_LEEWAY_S = 60.0


class TokenVerifier:
    """Verifies RS256 access tokens for this API, against the provider's keys or one configured public key.

    Besides signature, ``exp``/``nbf``/``iat`` (at most 60 s clock leeway), issuer and audience, a token
    that says it is something else is refused: a JOSE ``typ`` other than ``JWT``/``at+jwt``, a payload
    ``typ`` other than ``Bearer`` (Keycloak marks ID tokens ``ID`` and refresh tokens ``Refresh``), or an
    ``azp`` (else ``client_id``) naming another client than ``client_id``.
    """

    def __init__(
        self,
        *,
        jwks_url: str = "",
        public_key=None,
        issuer: str = "",
        audience: str = "",
        client_id: str = "",
        leeway_s: float = 0.0,
        require_tls: bool = False,
        remember: int = 2048,
        claim_names: dict[str, str] | None = None,
    ):
        """``remember``: verified tokens kept (a signature check costs more than the rest of a small request);
        ``claim_names``: where the provider puts each part of a Principal (see :data:`CLAIM_NAMES`).
        Without a public key, the keys come from ``jwks_url`` or else from the issuer's discovery document."""
        if not jwks_url and not issuer and public_key is None:
            raise ValueError("a JWKS URL, an issuer or a public key is required to verify tokens")
        self._keys = (
            KeySource(issuer=issuer, jwks_url=jwks_url, require_tls=require_tls) if public_key is None else None
        )
        self._key = public_key
        self.issuer = issuer
        self.audience = audience
        self.client_id = client_id
        self.leeway_s = min(max(leeway_s, 0.0), MAX_LEEWAY_S)
        self.remember = remember
        self.claim_names = dict(claim_names or {})
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        """The token's principal; a token verified before is answered from memory until it expires."""
        known = self._known(token)
        if known is None:
            known = self._remember(token, *self._check(token))
        return known

    async def verify_async(self, token: str) -> Principal:
        """``verify`` for the event loop: with a JWKS URL the check may fetch keys over HTTP, so it
        runs in a worker thread (a slow identity provider must not stall every other request)."""
        known = self._known(token)
        if known is None:
            checked = await asyncio.to_thread(self._check, token) if self._keys else self._check(token)
            known = self._remember(token, *checked)
        return known

    def _known(self, token: str) -> Principal | None:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            self._verified.move_to_end(token)
            return known[0]
        self._verified.pop(token, None)
        return None

    def _remember(self, token: str, principal: Principal, expires: float) -> Principal:
        self._verified[token] = (principal, expires)
        if len(self._verified) > self.remember:
            self._verified.popitem(last=False)
        return principal

    def _check(self, token: str) -> tuple[Principal, float]:
        try:
            _refuse_other_header_type(jwt.get_unverified_header(token))
            key = self._keys.signing_key(token) if self._keys else self._key
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=self.issuer or None,
                audience=self.audience or None,
                leeway=self.leeway_s,
                options={"verify_aud": bool(self.audience), "require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized(
                "登入已逾時，請重新登入", "Your session has expired; please sign in again", code="token_expired"
            ) from None
        except (jwt.PyJWTError, ValueError, KeyError):
            raise Unauthorized("無效的登入憑證", "Invalid credentials", code="invalid_token") from None
        self._refuse_other_token(claims)
        return Principal.from_claims(claims, self.claim_names), float(claims["exp"]) + self.leeway_s

    def _refuse_other_token(self, claims: dict) -> None:
        kind = claims.get("typ")
        client = claims.get("azp", claims.get("client_id"))  # Keycloak's azp; RFC 9068's client_id
        other_client = self.client_id and client not in (None, self.client_id)
        if (kind is not None and str(kind).lower() != "bearer") or other_client:
            raise WrongTokenType()


class WrongTokenType(Unauthorized):
    def __init__(self) -> None:
        super().__init__(
            "此登入憑證不是本系統的存取憑證，請重新登入",
            "This token is not an access token for CertHub; please sign in again",
            code="wrong_token_type",
        )


def _refuse_other_header_type(header: dict) -> None:
    kind = header.get("typ")
    if kind is not None and str(kind).lower() not in ACCESS_TOKEN_HEADER_TYPES:
        raise WrongTokenType()
