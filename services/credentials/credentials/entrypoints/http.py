"""HTTP endpoints of the credentials service: the student's records, the centre's revocation, the
issuer's DID document and status lists, and public verification as JSON."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Request, Response
from pydantic import BaseModel, Field

from certhub_kit.auth import CENTER
from certhub_kit.errors import NotFound, TooLarge
from certhub_kit.http import CurrentUser, runtime_of

from ..adapters.qr import qr_png
from ..adapters.vcjwt import MEDIA_TYPE as JWT_MEDIA_TYPE
from ..service_layer.holding import as_jwt, bundle, held, held_for_certificate, list_credentials, revoke_by_centre
from ..service_layer.verifying import status_list, verify_stored, verify_uploaded
from .responses import Credential, DidDocument, Verification

router = APIRouter(tags=["credentials"])
PublicId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,32}$", description="the credential's public id")]
_JSON, _PNG, _ZIP = "application/json", "image/png", "application/zip"
BINARY = {"schema": {"type": "string", "format": "binary"}}
# A signed W3C document is served byte for byte as it was signed (its shape is the standard's), never
# through a response model that could drop or reorder a signed member.
SIGNED_JSON = {"schema": {"type": "object", "description": "the signed document, as issued"}}


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


def context_of(request: Request):
    return runtime_of(request).deps.issuer


@router.get("/.well-known/did.json", tags=["public"], response_model=DidDocument)
async def did_json(request: Request) -> dict:
    """The school's DID document (did:web): every signing key, old ones kept after rotation."""
    return context_of(request).document()


@router.get("/api/credentials", response_model=list[Credential], response_model_exclude_unset=True)
async def my_credentials(request: Request, who: CurrentUser, certificate_id: uuid.UUID | None = None) -> list[dict]:
    """A student's own credentials (optionally of one certificate); the centre's of one certificate."""
    async with runtime_of(request).uow() as uow:
        return await list_credentials(uow, context_of(request), who, certificate_id)


@router.get(
    "/api/credentials/status/{number}",
    tags=["public"],
    response_class=Response,
    responses={200: {"content": {_JSON: SIGNED_JSON}}},
)
async def status_list_credential(request: Request, number: Annotated[int, Path(ge=1, le=99_999_999)]) -> Response:
    """A signed BitstringStatusListCredential; cached by clients for its ``ttl``."""
    context = context_of(request)
    async with runtime_of(request).uow() as uow:
        listed = await status_list(uow, context, number)
    if listed is None:
        raise NotFound("找不到此狀態清單", "Status list not found")
    return Response(
        json.dumps(listed, ensure_ascii=False),
        media_type=_JSON,
        headers={"Cache-Control": f"public, max-age={context.settings.status_list_ttl_s}"},
    )


@router.get(
    "/api/credentials/{public_id}/credential",
    response_class=Response,
    responses={200: {"content": {_JSON: SIGNED_JSON, JWT_MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
async def credential(
    request: Request,
    who: CurrentUser,
    public_id: PublicId,
    accept: Annotated[str | None, Header()] = None,
    format: Literal["json", "jwt"] | None = None,
) -> Response:
    """The OB 3.0 credential with its embedded proof (JSON), or — ``Accept: application/vc+jwt`` or
    ``?format=jwt`` (a browser download) — the VC-JWT."""
    async with runtime_of(request).uow() as uow:
        row = await held(uow, who, public_id)
    return _credential_answer(row, context_of(request), accept, format)


def _credential_answer(row: dict, context, accept: str | None, format: str | None) -> Response:
    name = f"credential-{row['id']}"
    if format == "jwt" or (format is None and accept and JWT_MEDIA_TYPE in accept):
        return Response(
            as_jwt(row, context),
            media_type=JWT_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.jwt"'},
        )
    return Response(
        json.dumps(row["document"], ensure_ascii=False),
        media_type=_JSON,
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


@router.get(
    "/api/certificates/{certificate_id}/credential",
    response_class=Response,
    responses={200: {"content": {_JSON: SIGNED_JSON, JWT_MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
async def credential_of_certificate(
    request: Request,
    who: CurrentUser,
    certificate_id: uuid.UUID,
    accept: Annotated[str | None, Header()] = None,
    format: Literal["json", "jwt"] | None = None,
) -> Response:
    """The record in force for a certificate (the same answer as ``/api/credentials/{id}/credential``)."""
    async with runtime_of(request).uow() as uow:
        row = await held_for_certificate(uow, who, certificate_id)
    return _credential_answer(row, context_of(request), accept, format)


@router.get(
    "/api/credentials/{public_id}/download.zip", response_class=Response, responses={200: {"content": {_ZIP: BINARY}}}
)
async def download(request: Request, who: CurrentUser, public_id: PublicId) -> Response:
    """The credential (JSON and JWT) and the QR code of its verify page in one zip."""
    async with runtime_of(request).uow() as uow:
        row = await held(uow, who, public_id)
    return Response(
        bundle(row, context_of(request)),
        media_type=_ZIP,
        headers={"Content-Disposition": f'attachment; filename="credential-{public_id}.zip"'},
    )


@router.get(
    "/api/credentials/{public_id}/qr.png",
    tags=["public"],
    response_class=Response,
    responses={200: {"content": {_PNG: BINARY}}},
)
async def qr(request: Request, public_id: PublicId) -> Response:
    """The QR code of the public verify link (it shows nothing the link does not)."""
    context = context_of(request)
    async with runtime_of(request).uow() as uow:
        if await uow.credentials.get(public_id) is None:
            raise NotFound("找不到此數位證明", "Credential not found")
    return Response(
        qr_png(context.verify_url(public_id)), media_type=_PNG, headers={"Cache-Control": "public, max-age=86400"}
    )


@router.post("/api/credentials/{public_id}/revoke", response_model=Credential, response_model_exclude_unset=True)
async def revoke(request: Request, who: CurrentUser, public_id: PublicId, body: RevokeIn) -> dict:
    """The centre revokes a credential, with a reason shown on its verify page."""
    who.require(CENTER)
    async with runtime_of(request).uow() as uow:
        answer = await revoke_by_centre(uow, context_of(request), who, public_id, body.reason)
        await uow.commit()
    return answer


@router.get("/api/verify/{public_id}", tags=["public"], response_model=Verification, response_model_exclude_unset=True)
async def verify_by_id(request: Request, public_id: PublicId) -> dict:
    """What the verify page shows, as JSON (counted; nothing about the verifier is kept)."""
    async with runtime_of(request).uow() as uow:
        answer = await verify_stored(uow, context_of(request), public_id)
        await uow.commit()
    return answer


_COMPACT_JWS = {"type": "string", "pattern": r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$"}
_UPLOAD = {
    "requestBody": {
        "required": True,
        "description": "the credential as JSON (with its embedded proof), or a VC-JWT as text",
        "content": {
            _JSON: {"schema": {"type": "object"}},
            "text/plain": {"schema": _COMPACT_JWS},
            JWT_MEDIA_TYPE: {"schema": _COMPACT_JWS},
        },
    }
}


@router.post(
    "/api/verify",
    tags=["public"],
    openapi_extra=_UPLOAD,
    response_model=Verification,
    response_model_exclude_unset=True,
)
async def verify_upload(request: Request) -> dict:
    """Checks an uploaded credential the same way; only this school's keys and lists are used."""
    raw = await _limited_body(request)
    async with runtime_of(request).uow() as uow:
        answer = await verify_uploaded(uow, context_of(request), raw)
        await uow.commit()
    return answer


async def _limited_body(request: Request) -> bytes:
    limit = context_of(request).settings.verify_upload_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge("上傳的數位證明太大", "The uploaded credential is too large")
    body = await request.body()
    if len(body) > limit:
        raise TooLarge("上傳的數位證明太大", "The uploaded credential is too large")
    if body[:1] == b'"':  # a JWT sent as a JSON string
        try:
            value = json.loads(body)
            return value.encode() if isinstance(value, str) else body
        except ValueError:
            return body
    return body
