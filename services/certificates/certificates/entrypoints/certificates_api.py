"""HTTP: a student's certificates (multipart register/edit), lists, scans and thumbnails."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from certhub_kit.addresses import EMAIL_MAX, EMAIL_PATTERN
from certhub_kit.exports import STORED_OBJECT_HEADERS, stored_object
from certhub_kit.guards import checked_form
from certhub_kit.http import CurrentUser, require_form_body, runtime_of

from ..domain.errors import FieldInvalid
from ..domain.status import Status
from ..service_layer import queries, registration, scans
from ..service_layer.access import not_found_certificate
from ..service_layer.registration import CertificateInput
from ..service_layer.views import certificate_item
from .responses import Certificate, CertificatePage, ConfirmationSent

router = APIRouter(prefix="/api/certificates", tags=["certificates"])
FIELDS = ("entry_id", "level_id", "score", "issued_on", "email", "phone", "mobile", "certificate_no", "remarks")


def form_body(*, required: tuple[str, ...]) -> dict:
    """The multipart body as OpenAPI (the form is read by hand so the scan waits for an upload slot)."""
    phone = {"type": "string", "pattern": r"^[0-9+()#-][0-9+()# -]{2,28}[0-9+()#-]$"}
    fields = {
        "entry_id": {"type": "string", "format": "uuid"},
        "level_id": {"type": "string", "format": "uuid"},
        "score": {"type": "string", "maxLength": 50, "description": "within the level's range when it has one"},
        "issued_on": {
            "type": "string",
            "format": "date",
            "pattern": r"^(19[5-9][0-9]|20[0-9]{2})-",
            "description": "ISO date (or YYYYMMDD), from 1950, not in the future",
        },
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": EMAIL_MAX,
            "pattern": EMAIL_PATTERN,
            "description": "exactly one plain address (no display name, comma, space or line break)",
        },
        "phone": phone,
        "mobile": phone,
        "certificate_no": {"type": "string", "maxLength": 100},
        "remarks": {"type": "string", "maxLength": 500},
        "scan": {"type": "string", "format": "binary", "description": "JPEG, PNG or PDF (judged by its bytes)"},
    }
    schema = {"type": "object", "properties": fields, "required": list(required), "additionalProperties": False}
    return {"requestBody": {"required": bool(required), "content": {"multipart/form-data": {"schema": schema}}}}


FILE_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The stored file (or a 307 to a short-lived storage link)",
        "content": {
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    307: {
        "description": "Redirect to a presigned storage URL",
        "headers": {"Location": {"schema": {"type": "string"}}},
    },
}


def certificate_id_of(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise not_found_certificate() from None


async def read_form(request: Request, max_bytes: int) -> CertificateInput:
    """The multipart fields as sent (absent stays absent) and at most ``max_bytes + 1`` of the scan;
    a body that is not a form (JSON) is a 415, never an edit that silently changes nothing."""
    require_form_body(request)
    form = await checked_form(request, max_files=1, max_fields=len(FIELDS) + 5)
    data = CertificateInput()
    for name in FIELDS:
        value = form.get(name)
        if isinstance(value, UploadFile):
            raise FieldInvalid(name, f"欄位 {name} 應為文字", f"The field {name} must be text", code="not_text")
        if value is not None:
            data.values[name] = value
    scan = form.get("scan")
    if isinstance(scan, str):
        if scan:
            raise FieldInvalid(
                "scan", "證照影本必須以檔案上傳", "The scan must be uploaded as a file", code="not_a_file"
            )
    elif scan is not None:
        data.scan = await scan.read(max_bytes + 1)
    return data


def upload_slots(runtime) -> asyncio.Semaphore:
    """At most ``max_concurrent_uploads`` scans parsed and checked at once (``CertificatesDeps``)."""
    return runtime.deps.upload_slots


@router.post(
    "",
    status_code=201,
    response_model=Certificate,
    openapi_extra=form_body(required=("entry_id", "issued_on", "email", "scan")),
)
async def register_certificate(request: Request, user: CurrentUser) -> dict:
    """multipart: entry_id, level_id, score, issued_on (ISO or YYYYMMDD), email, phone, mobile,
    certificate_no, remarks, file ``scan`` → 201 with the certificate."""
    runtime = runtime_of(request)
    user.require("student")
    async with upload_slots(runtime):
        data = await read_form(request, runtime.settings.max_scan_bytes)
        cert = await runtime.transaction(
            lambda uow: registration.register(uow, runtime.settings, runtime.files, user, data)
        )
    return certificate_item(cert, user)


@router.get("", response_model=CertificatePage)
async def list_certificates(
    request: Request,
    user: CurrentUser,
    dept: str | None = None,
    status: Status | None = None,
    student: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    async with runtime_of(request).uow() as uow:
        return await queries.list_certificates(
            uow, user, dept=dept, status=status, student=student, limit=limit, cursor=cursor
        )


@router.get("/{certificate_id}", response_model=Certificate)
async def get_certificate(certificate_id: str, request: Request, user: CurrentUser) -> dict:
    async with runtime_of(request).uow() as uow:
        cert = await queries.get_certificate(uow, user, certificate_id_of(certificate_id))
    return certificate_item(cert, user)


@router.patch("/{certificate_id}", response_model=Certificate, openapi_extra=form_body(required=()))
async def edit_certificate(certificate_id: str, request: Request, user: CurrentUser) -> dict:
    """Same multipart fields as registering, all optional; after a rejection this resubmits."""
    runtime = runtime_of(request)
    cid = certificate_id_of(certificate_id)
    async with upload_slots(runtime):
        data = await read_form(request, runtime.settings.max_scan_bytes)
        cert = await runtime.transaction(
            lambda uow: registration.edit(uow, runtime.settings, runtime.files, user, cid, data)
        )
    return certificate_item(cert, user)


@router.delete("/{certificate_id}", status_code=204)
async def delete_certificate(certificate_id: str, request: Request, user: CurrentUser) -> Response:
    runtime, cid = runtime_of(request), certificate_id_of(certificate_id)
    await runtime.transaction(lambda uow: registration.delete(uow, runtime.files, user, cid))
    return Response(status_code=204)


@router.post("/{certificate_id}/resend-confirmation", status_code=202, response_model=ConfirmationSent)
async def resend_confirmation(certificate_id: str, request: Request, user: CurrentUser) -> dict:
    runtime, cid = runtime_of(request), certificate_id_of(certificate_id)
    return await runtime.transaction(lambda uow: registration.resend_confirmation(uow, runtime.settings, user, cid))


async def _object(request: Request, user, certificate_id: str, bucket: str) -> Response:
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        cert = await queries.get_certificate(uow, user, certificate_id_of(certificate_id))
    if bucket == scans.SCANS:
        key, content_type = cert.scan_key, cert.scan_content_type
    else:
        key, content_type = cert.thumbnail_key, "image/jpeg"
        await scans.ensure_thumbnail(runtime.files, cert)
    headers = dict(STORED_OBJECT_HEADERS)
    url = await runtime.files.presigned_get(bucket, key, timedelta(seconds=runtime.settings.presigned_ttl_s))
    if url:
        return RedirectResponse(url, status_code=307, headers=headers)
    try:
        data = await runtime.files.get(bucket, key)
    except FileNotFoundError:
        raise not_found_certificate() from None
    extension = key.rsplit(".", 1)[-1]
    headers["Content-Disposition"] = f'inline; filename="certificate-{cert.id}.{extension}"'
    return stored_object(data, content_type, headers)


@router.get("/{certificate_id}/scan", response_class=Response, responses=FILE_ANSWERS)
async def scan(certificate_id: str, request: Request, user: CurrentUser) -> Response:
    return await _object(request, user, certificate_id, scans.SCANS)


@router.get(
    "/{certificate_id}/thumbnail",
    response_class=Response,
    responses={
        **FILE_ANSWERS,
        200: {**FILE_ANSWERS[200], "content": {"image/jpeg": FILE_ANSWERS[200]["content"]["image/jpeg"]}},
    },
)
async def thumbnail(certificate_id: str, request: Request, user: CurrentUser) -> Response:
    return await _object(request, user, certificate_id, scans.THUMBNAILS)
