"""Checks every request passes before any endpoint sees it.

- :class:`AuthenticateBeforeBody`: a route that needs a signed-in user (its dependencies include
  :func:`certhub_kit.http.current_principal`) answers 401 before a single byte of its body is read.
  FastAPI reads and spools a multipart body before it runs any dependency, so without this a 600 MB
  upload with no token is written to disk first (``POST /api/review/{id}/original``).
- :func:`refuse_unsafe_input` (an app-wide dependency): a NUL character in any text — path, query,
  JSON body, form field — and an integer PostgreSQL cannot hold (outside int8) are a 422 in the
  kit's error shape, never a database error and a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import DomainError, Invalid

INT8 = (-(2**63), 2**63 - 1)
INT4 = (-(2**31), 2**31 - 1)
_WALK_LIMIT = 10_000  # values looked at in one JSON body; beyond that the body is too odd to accept


class RefusedBeforeBody(HTTPException):
    """Raised from the body's first read; an HTTPException so FastAPI's body reader lets it through,
    answered with the kit's error shape by :func:`certhub_kit.http.install_error_handlers`."""

    def __init__(self, error: DomainError):
        super().__init__(status_code=error.status)
        self.error = error


class AuthenticateBeforeBody:
    """The first read of a request's body checks the bearer token when the matched route needs a user
    (routing has put the route in the scope by then): a missing, expired or forged token is a 401
    before one byte is read."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self._needs_user: dict[int, bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = False

        async def receive_after_the_token() -> Message:
            nonlocal checked
            if not checked:
                checked = True
                await self._check(scope)
            return await receive()

        await self.app(scope, receive_after_the_token, send)

    async def _check(self, scope: Scope) -> None:
        route = scope.get("route")
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            return
        needs = self._needs_user.get(id(route))
        if needs is None:
            needs = self._needs_user[id(route)] = _depends_on_user(dependant)
        if needs:
            from .http import principal_from

            header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
            try:
                await principal_from(scope["app"].state.runtime, header)
            except DomainError as exc:
                raise RefusedBeforeBody(exc) from None


def _depends_on_user(dependant: Dependant) -> bool:
    from .http import current_principal

    return dependant.call is current_principal or any(_depends_on_user(d) for d in dependant.dependencies)


def _refused(where: str, zh: str, en: str, code: str) -> Invalid:
    return Invalid(f"{zh}（{where}）", f"{en} ({where})", code=code)


def check_value(value: Any, where: str) -> None:
    """Raises :class:`Invalid` for a NUL in text or an integer outside PostgreSQL's int8, anywhere in
    ``value`` (nested lists and objects included)."""
    stack, seen = [(value, where)], 0
    while stack:
        item, at = stack.pop()
        seen += 1
        if seen > _WALK_LIMIT:
            raise _refused(
                where, "輸入資料過於複雜", "The input is nested too deeply or has too many values", "input_too_complex"
            )
        if isinstance(item, str):
            if "\x00" in item:
                raise _refused(
                    at, "輸入資料不可包含 NUL 控制字元", "Text may not contain a NUL character", "nul_character"
                )
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not INT8[0] <= item <= INT8[1]:
                raise _refused(at, "數字超出可接受的範圍", "The number is out of range", "number_out_of_range")
        elif isinstance(item, dict):
            stack.extend((v, f"{at}.{k}") for k, v in item.items())
            stack.extend((k, at) for k in item)
        elif isinstance(item, list):
            stack.extend((v, at) for v in item)


def check_integer_text(text: str, where: str) -> None:
    """A query or form value written as an integer must fit int8 (a huge one is a 422, not an
    OverflowError deep in the database driver)."""
    digits = text.strip()
    if digits[:1] in "+-":
        digits = digits[1:]
    if digits.isdigit() and digits.isascii() and len(digits) > 18:
        check_value(int(text), where)


async def refuse_unsafe_input(request: Request) -> None:
    """App-wide dependency: runs after FastAPI has read the body (the same values the endpoint gets)
    and before the route's own dependencies. A form the endpoint parses itself (with its own limits)
    is checked by :func:`checked_form`."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        check_value(value, name)
        check_integer_text(value, name)
    if request._form is not None:  # parsed by FastAPI for the route's Form() parameters
        check_form(request._form)
    elif "json" in request.headers.get("content-type", ""):
        check_value(await _json_of(request), "body")


def check_form(form: Any) -> None:
    for name, value in form.multi_items():
        if isinstance(value, str):
            check_value(value, name)
            check_integer_text(value, name)
        else:
            check_value(value.filename or "", name)


async def checked_form(request: Request, **limits: int) -> Any:
    """``request.form(**limits)`` with every text field checked like any other input."""
    form = await request.form(**limits)
    check_form(form)
    return form


async def _json_of(request: Request) -> Any:
    import json

    if hasattr(request, "_json"):
        return request._json
    body = await request.body()
    try:
        return json.loads(body) if body else None
    except (ValueError, RecursionError):
        return None  # not JSON: FastAPI's own validation answers 422
