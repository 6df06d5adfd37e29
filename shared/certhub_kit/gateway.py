"""The public path prefixes (docs/product.md, "Public paths") and the service behind each.

nginx (deploy/nginx) routes the same prefixes in compose and Kubernetes; the
standalone launcher routes them in-process with :class:`PathRouter`.
"""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 3 * 1024 * 1024
"""The gateway's ``client_max_body_size 3m`` (deploy/nginx/certhub.conf.template; a deploy test keeps
the two equal): scans and passbook covers are at most 2 MiB, plus room for the form fields."""
TOO_LARGE = {
    "error": {
        "code": "payload_too_large",
        "message": "上傳的內容太大，檔案請小於 2 MiB",
        "message_en": "Request body too large; files must be under 2 MiB",
    }
}

ROUTES: list[tuple[str, str]] = [
    ("/api/auth/", "certificates"),
    ("/api/catalog", "certificates"),
    ("/api/certificates", "certificates"),
    ("/api/confirm/", "certificates"),
    ("/api/review/", "review"),
    ("/api/rewards/", "rewards"),
    ("/api/notify/", "notify"),
    ("/api/dev/", "notify"),
    ("/api/credentials", "credentials"),
    ("/api/verify", "credentials"),
    ("/verify/", "credentials"),
    ("/credentials/", "credentials"),
    ("/.well-known/did.json", "credentials"),
]

# (prefix, suffix, service): a path under another service's prefix that one resource of a later
# service answers — checked first (nginx: a regex location, which wins over plain prefixes).
NESTED: list[tuple[str, str, str]] = [
    ("/api/certificates/", "/credential", "credentials"),  # a certificate's signed record
]


def service_for(path: str) -> str | None:
    for prefix, suffix, service in NESTED:
        if path.startswith(prefix) and path.endswith(suffix) and "/" not in path[len(prefix) : -len(suffix)]:
            return service
    for prefix, service in ROUTES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return service
    return None


class PathRouter:
    """Routes HTTP by public prefix to in-process service apps, everything else to ``fallback``
    (the web client); runs every app's lifespan on start-up and shut-down."""

    def __init__(self, apps: dict[str, Starlette], fallback: ASGIApp):
        self.apps = apps
        self.fallback = fallback
        self.ops = ops_app(apps)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope.get("path", "")
        if path in ("/healthz", "/readyz", "/metrics"):
            await self.ops(scope, receive, send)
            return
        service = service_for(path)
        app = self.apps[service] if service else self.fallback
        await capped(app, scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        import contextlib

        stack = contextlib.AsyncExitStack()
        message = await receive()
        assert message["type"] == "lifespan.startup"
        try:
            for app in self.apps.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
        except BaseException as exc:
            await stack.aclose()
            await send({"type": "lifespan.startup.failed", "message": repr(exc)})
            return
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        try:
            await stack.aclose()
        finally:
            await send({"type": "lifespan.shutdown.complete"})


async def capped(app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int = MAX_BODY_BYTES) -> None:
    """``app`` with at most ``limit`` bytes of request body, as nginx does: a larger Content-Length is a
    413 before anything is read; a chunked body that grows past it ends in a 413 (or, when the app has
    already answered, the app sees the client leave)."""
    if scope["type"] != "http":
        await app(scope, receive, send)
        return
    declared = dict(scope.get("headers") or []).get(b"content-length", b"")
    if declared.isdigit() and int(declared) > limit:
        await _too_large(send)
        return
    received, started, refused = 0, False, False

    async def counted() -> Message:
        nonlocal received, refused
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                if not started and not refused:
                    refused = True
                    await _too_large(send)
                return {"type": "http.disconnect"}
        return message

    async def guarded(message: Message) -> None:
        nonlocal started
        if refused:
            return  # the 413 is already the answer
        started = started or message["type"] == "http.response.start"
        await send(message)

    await app(scope, counted, guarded)


async def _too_large(send: Send) -> None:
    body = json.dumps(TOO_LARGE, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def ops_app(apps: dict):
    """``/healthz``, ``/readyz`` (every in-process service) and ``/metrics`` for the standalone process."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def healthz(request):
        return JSONResponse({"status": "ok"})

    async def readyz(request):
        checks = {name: await app.state.runtime.readiness() for name, app in apps.items()}
        ok = all(all(c.values()) for c in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)

    async def metrics(request):
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)])


def static_app(directory: str):
    """The web client's files, with proper 404 answers; ``/auth/callback`` (where the provider
    returns after sign-in) is the web client too, as nginx's ``try_files`` makes it."""
    from pathlib import Path

    from starlette.applications import Starlette
    from starlette.responses import FileResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from .signin import CALLBACK_PATH

    index = Path(directory) / "index.html"

    async def callback(request):
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return Starlette(routes=[Route(CALLBACK_PATH, callback), Mount("/", StaticFiles(directory=directory, html=True))])
