"""The public verify page ``/verify/{id}`` (zh-TW first, ``?lang=en`` for English first), its
stylesheet, and ``/credentials/{id}`` (a credential's id URL) leading to it. No script: the page
is rendered on the server, so a strict Content-Security-Policy holds."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from certhub_kit.errors import NotFound
from certhub_kit.http import runtime_of

from ..service_layer.verifying import verify_stored

pages = APIRouter(tags=["public"])
HERE = FilePath(__file__).resolve().parent.parent
_TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
PublicId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
_HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}}, 404: {"content": {"text/html": {}}}}


@pages.get(
    "/verify/static/verify.css",
    response_class=FileResponse,
    responses={200: {"content": {"text/css": {"schema": {"type": "string"}}}}},
)
async def stylesheet() -> FileResponse:
    return FileResponse(
        HERE / "static" / "verify.css", media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )


@pages.get("/verify/{public_id}", response_class=HTMLResponse, responses=_HTML)
async def verify_page(
    request: Request, public_id: PublicId, lang: Annotated[Literal["zh-TW", "en"], Query()] = "zh-TW"
) -> HTMLResponse:
    context = runtime_of(request).deps.issuer
    try:
        async with runtime_of(request).uow() as uow:
            view = await verify_stored(uow, context, public_id)
            await uow.commit()
    except NotFound:
        view = None
    html = _TEMPLATES.get_template("verify.html").render(
        v=view,
        en=lang == "en",
        public_id=public_id,
        school=context.settings.school_name,
        school_en=context.settings.school_name_en,
    )
    return HTMLResponse(html, status_code=200 if view else 404, headers=PAGE_HEADERS)


@pages.get(
    "/credentials/{public_id}",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "To the verify page", "headers": {"Location": {"schema": {"type": "string"}}}}},
)
async def credential_id_url(public_id: PublicId) -> RedirectResponse:
    """A credential's ``id`` resolves to the page that verifies it."""
    return RedirectResponse(f"/verify/{public_id}", status_code=303)
