"""``POST /api/auth/dev-login``: exists only when dev auth is on (never in production)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from .auth import DEMO_USERS, demo_claims
from .errors import NotFound
from .http import ERROR_RESPONSES
from .response_models import JsonObject, ResponseModel


class DevLogin(BaseModel):
    username: str


class DemoUser(ResponseModel):
    username: str
    name: str
    roles: list[str]
    dept: list[str]


class DevSession(ResponseModel):
    access_token: str
    token_type: str
    expires_in: int
    user: JsonObject = Field(description="username and the demo user's claims (name, email, roles, dept, ...)")


def dev_login_router() -> APIRouter:
    router = APIRouter(prefix="/api/auth", tags=["auth"], responses=ERROR_RESPONSES)  # 404: unknown demo user

    @router.post("/dev-login", response_model=DevSession)
    async def dev_login(body: DevLogin, request: Request) -> dict:
        if body.username not in DEMO_USERS:
            raise NotFound("沒有這位示範使用者", "No such demo user", code="unknown_user")
        issuer = request.app.state.runtime.dev_issuer
        claims = demo_claims(body.username)
        return {
            "access_token": issuer.issue(claims),
            "token_type": "bearer",
            "expires_in": issuer.ttl,
            "user": {"username": body.username, **{k: v for k, v in claims.items() if k != "sub"}},
        }

    @router.get("/demo-users", response_model=list[DemoUser])
    async def demo_users() -> list[dict]:
        return [
            {"username": u, "name": d["name"], "roles": d["roles"], "dept": d["dept"]} for u, d in DEMO_USERS.items()
        ]

    return router
