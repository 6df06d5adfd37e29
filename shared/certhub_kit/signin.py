"""``GET /api/auth/config``: how the web client signs people in, read at run time.

``{"mode": "oidc", "issuer", "client_id", "scopes", "redirect_uri", "post_logout_redirect_uri"}``
with the school's OpenID Provider (Authorization Code + PKCE in the browser), or
``{"mode": "dev"}`` where the demo users' dev login is on; ``mailbox`` says whether the captured
test mailbox exists (standalone, dev and test only). Public: it is what a signed-out browser needs
to start signing in, and it holds nothing secret.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from .http import ERROR_RESPONSES, CurrentUser
from .settings import ServiceSettings

CALLBACK_PATH = "/auth/callback"


class AuthConfig(BaseModel):
    mode: str
    mailbox: bool = False
    issuer: str | None = None
    client_id: str | None = None
    scopes: str | None = None
    redirect_uri: str | None = None
    post_logout_redirect_uri: str | None = None


class Me(BaseModel):
    """The signed-in person as every service sees them (claims renamed by CERTHUB_OIDC_CLAIMS applied)."""

    model_config = {"populate_by_name": True}
    username: str
    name: str
    email: str | None = None
    roles: list[str]
    dept: list[str]
    division: str | None = None
    program: str | None = None
    klass: str | None = Field(default=None, alias="class")


def auth_config(settings: ServiceSettings) -> AuthConfig:
    if settings.auth_mode != "oidc":
        return AuthConfig(mode="dev", mailbox=settings.relaxed)
    base = settings.public_base_url.rstrip("/")
    return AuthConfig(
        mode="oidc",
        mailbox=settings.relaxed,
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        scopes=settings.oidc_scopes,
        redirect_uri=f"{base}{CALLBACK_PATH}",
        post_logout_redirect_uri=f"{base}/",
    )


def auth_config_router(settings: ServiceSettings) -> APIRouter:
    router = APIRouter(prefix="/api/auth", tags=["auth"])
    answer = auth_config(settings)

    @router.get("/config", response_model=AuthConfig, response_model_exclude_none=True)
    async def config() -> AuthConfig:
        return answer

    @router.get("/me", response_model=Me, response_model_by_alias=True, responses=ERROR_RESPONSES)
    async def me(user: CurrentUser) -> Me:
        return Me(
            username=user.sub,
            name=user.name,
            email=user.email,
            roles=sorted(user.roles),
            dept=list(user.depts),
            division=user.division,
            program=user.program,
            klass=user.klass,
        )

    return router
