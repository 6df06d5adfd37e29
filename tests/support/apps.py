"""Running services in-process for API and integration tests (real servers behind them)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI

from certhub_kit.auth import DevIssuer


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[FastAPI]:
    """Run the app's lifespan (migrations, bus, relay, consumers) around the block."""
    async with app.router.lifespan_context(app):
        yield app


class Clients:
    """HTTP clients for an app, one per demo user, with real signed tokens."""

    def __init__(self, app: FastAPI, issuer: DevIssuer):
        self.app = app
        self.issuer = issuer
        self._transport = httpx.ASGITransport(app=app)

    def anonymous(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self._transport, base_url="http://testserver")

    def as_user(self, username: str, **claims) -> httpx.AsyncClient:
        token = self.issuer.for_user(username, **claims)
        return httpx.AsyncClient(
            transport=self._transport, base_url="http://testserver", headers={"Authorization": f"Bearer {token}"}
        )

    def with_token(self, token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=self._transport, base_url="http://testserver", headers={"Authorization": f"Bearer {token}"}
        )
