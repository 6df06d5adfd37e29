"""HTTP pieces every service shares: errors, correlation ids, metrics, health, auth dependencies."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

import structlog
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import Principal
from .context import bind_correlation_id
from .errors import DomainError, Unauthorized, UnsupportedMediaType
from .guards import RefusedBeforeBody
from .metrics import HTTP_REQUESTS, HTTP_SECONDS
from .response_models import Health, Readiness
from .uow import UnitOfWork

if TYPE_CHECKING:
    from .runtime import Runtime

log = structlog.get_logger("certhub.http")

HTTP_MESSAGES = {
    400: ("請求格式錯誤", "Bad request"),
    401: ("請先登入", "Please sign in"),
    403: ("您沒有權限", "Forbidden"),
    404: ("找不到資源", "Not found"),
    405: ("不支援此操作", "Method not allowed"),
    413: ("檔案或內容過大", "Request too large"),
    415: ("不支援的內容格式", "Unsupported media type"),
    429: ("請求過於頻繁，請稍後再試", "Too many requests; please retry later"),
}


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "message_en"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "message_en": {"type": "string"}},
        }
    },
}
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {
        "description": f'{en} ({zh}): {{"error": {{code, message, message_en}}}}',
        "content": {"application/json": {"schema": _ERROR_SCHEMA}},
    }
    for status, (zh, en) in {
        **HTTP_MESSAGES,
        409: ("狀態衝突", "Conflict"),
        422: ("輸入資料有誤", "Invalid input (with field and detail)"),
    }.items()
}
"""The error answers every endpoint may give, documented once in each service's OpenAPI (the 422 replaces
FastAPI's default validation schema: every 422, from pydantic or from a business rule, has our shape)."""


def error_body(code: str, message: str, message_en: str) -> dict:
    return {"error": {"code": code, "message": message, "message_en": message_en}}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        if exc.denial:
            await audit_denial(request, exc)
        return JSONResponse(exc.as_body(), status_code=exc.status, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        fields = sorted({_field_name(tuple(e.get("loc", ()))) for e in errors})
        names = "、".join(fields)
        body = error_body("invalid", f"輸入資料有誤，請檢查欄位：{names}", f"Invalid input; check: {', '.join(fields)}")
        body["detail"] = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
        return JSONResponse(body, status_code=422)

    @app.exception_handler(RefusedBeforeBody)
    async def refused_before_body(request: Request, exc: RefusedBeforeBody) -> JSONResponse:
        return JSONResponse(exc.error.as_body(), status_code=exc.error.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh, en = HTTP_MESSAGES.get(exc.status_code, ("請求無法處理", "Request failed"))
        return JSONResponse(
            error_body(f"http_{exc.status_code}", zh, en),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(DBAPIError)
    @app.exception_handler(OverflowError)
    async def refused_by_database(request: Request, exc: Exception) -> JSONResponse:
        sqlstate = value_refused_by_database(exc)
        if sqlstate is None:
            return await unexpected(request, exc)
        log.warning("value_refused_by_database", path=request.url.path, sqlstate=sqlstate)  # rolled back
        return JSONResponse(
            error_body(
                "invalid_value",
                "輸入的值無法儲存：數字超出範圍或含有不允許的字元",
                "A value cannot be stored: a number out of range or a character not allowed",
            ),
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return JSONResponse(
            error_body("internal", "系統發生錯誤，請稍後再試", "Internal error; please retry later"), status_code=500
        )


def value_refused_by_database(exc: BaseException) -> str | None:
    """The SQLSTATE (or ``overflow``) when ``exc`` is PostgreSQL or its driver refusing a value (class 22,
    data exception: a NUL character, an integer beyond int4/int8, a bad encoding) — the caller's input,
    not a fault of the service; ``None`` otherwise."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OverflowError):
            return "overflow"
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith("22"):
            return sqlstate
        if type(current).__name__ == "DataError" and type(current).__module__.startswith("asyncpg"):
            return "22000"
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


async def audit_denial(request: Request, exc: DomainError) -> None:
    """One append-only ``access.denied`` row per authorisation failure (403, or a concealed 404)."""
    principal = getattr(request.state, "principal", None)
    subject = next(iter(request.path_params.values()), None) if request.path_params else None
    try:
        async with request.app.state.runtime.uow() as uow:
            await uow.audit(
                "access.denied",
                actor_id=principal.sub if principal else None,
                subject=str(subject)[:64] if subject is not None else None,
                reason=exc.code,
                details={"method": request.method, "path": request.url.path[:300], "status": exc.status},
            )
            await uow.commit()
    except Exception:  # the refusal stands even when its audit row cannot be written
        log.exception("denial_audit_failed", path=request.url.path)


class RequestContextMiddleware:
    """Binds a correlation id (from ``X-Correlation-ID`` or new), echoes it, and records metrics."""

    def __init__(self, app: ASGIApp, service: str):
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-correlation-id", b"").decode("latin-1")[:64]
        structlog.contextvars.clear_contextvars()
        correlation_id = bind_correlation_id(incoming or None)
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-correlation-id", correlation_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            if path not in ("/metrics", "/healthz"):
                HTTP_REQUESTS.labels(self.service, scope["method"], path, str(status)).inc()
                HTTP_SECONDS.labels(self.service, path).observe(elapsed)
            if not (path in PROBES and status == 200):
                access_log(self.service, scope["method"], scope.get("path", ""), status, elapsed)


PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
"""Answered every few seconds by orchestrators and Prometheus: logged only when they fail."""
_SECRET_PATHS = ("/api/confirm/",)  # the rest of the path is an email-confirmation token


def access_log(service: str, method: str, path: str, status: int, elapsed_s: float) -> None:
    """One JSON line per request. The path has no query string, and tokens in paths are redacted."""
    for prefix in _SECRET_PATHS:
        if path.startswith(prefix):
            path = prefix + "[redacted]"
    level = log.warning if status >= 500 else log.info
    level(
        "request",
        service=service,
        method=method,
        path=path[:300],
        status=status,
        duration_ms=round(elapsed_s * 1000, 1),
    )


def health_router() -> APIRouter:
    router = APIRouter(tags=["ops"], responses=ERROR_RESPONSES)

    @router.get("/healthz", response_model=Health)
    async def healthz() -> dict:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        response_model=Readiness,
        responses={503: {"description": "A dependency is not ready (same body, status unavailable)"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        checks = await request.app.state.runtime.readiness()
        ok = all(checks.values())
        body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "checks": checks}
        if checks.get("database") and not checks.get("schema"):
            service = request.app.state.runtime.service
            body["message"] = f"資料庫結構不是最新版本，請先執行 python -m {service} migrate"
            body["message_en"] = f"The database schema is not at the latest migration; run python -m {service} migrate"
        return JSONResponse(body, status_code=200 if ok else 503)

    @router.get(
        "/metrics",
        response_class=Response,
        responses={
            200: {
                "description": "Prometheus text exposition",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def principal_from(runtime: Any, authorization: str) -> Principal:
    """The principal of an ``Authorization: Bearer`` header value; :class:`Unauthorized` otherwise."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("請先登入", "Please sign in", code="not_signed_in")
    return await runtime.verifier.verify_async(token.strip())


async def current_principal(request: Request) -> Principal:
    """``async`` so FastAPI runs it on the event loop, not via a worker thread per request."""
    principal = await principal_from(request.app.state.runtime, request.headers.get("authorization", ""))
    structlog.contextvars.bind_contextvars(user=principal.sub)
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def runtime_of(request: Request) -> Runtime[Any]:
    """The process's runtime; a service's routers read ``runtime_of(request).deps`` as its own type
    (e.g. ``certificates.entrypoints.deps``)."""
    return request.app.state.runtime


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request's transaction, committed when the endpoint returns (before the response is sent:
    ``scope="function"``) and rolled back when it raises."""
    async with request.app.state.runtime.uow() as uow:
        yield uow
        await uow.commit()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def require_form_body(request: Request) -> None:
    """A body read as a form must be one: any other body (JSON above all) would be read as an empty form
    and silently change nothing — refused with 415 instead. No body at all is an empty form."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    has_body = request.headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in request.headers
    if kind in FORM_TYPES or (not kind and not has_body):
        return
    raise UnsupportedMediaType(
        "請以表單（multipart/form-data）送出，JSON 等其他格式不會被讀取",
        "Send the fields as a form (multipart/form-data); JSON or other bodies are not read",
        code="form_required",
    )
