"""HTTP: class rosters — the upload (dry run, confirm), the template, and the student's one-click completion."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from certhub_kit.addresses import EMAIL_MAX, EMAIL_PATTERN
from certhub_kit.exports import csv_response
from certhub_kit.guards import checked_form
from certhub_kit.http import CurrentUser, require_form_body, runtime_of

from ..domain import roster
from ..domain.errors import FieldInvalid
from ..service_layer import rosters
from ..service_layer.views import certificate_item
from .certificates_api import upload_slots
from .responses import Certificate, PrefillList, RosterUpload

router = APIRouter(prefix="/api/certificates/rosters", tags=["rosters"])
MAX_ROSTER_BYTES = 5 * 1024 * 1024
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "additionalProperties": False,
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "CSV (UTF-8 or Big5) or XLSX"},
                        "dry_run": {"type": "string", "enum": ["true", "false"], "default": "true"},
                    },
                }
            }
        },
    }
}
COMPLETE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["scan"],
                    "additionalProperties": False,
                    "properties": {
                        "scan": {"type": "string", "format": "binary", "description": "JPEG, PNG or PDF"},
                        "email": {
                            "type": "string",
                            "format": "email",
                            "maxLength": EMAIL_MAX,
                            "pattern": EMAIL_PATTERN,
                        },
                    },
                }
            }
        },
    }
}


def _dry_run(value) -> bool:
    text = (value if isinstance(value, str) else "true").strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise FieldInvalid("dry_run", "dry_run 只能是 true 或 false", "dry_run must be true or false", code="bad_flag")
    return text in ("true", "1")


@router.post("", response_model=RosterUpload, response_model_exclude_unset=True, openapi_extra=UPLOAD_BODY)
async def upload_roster(request: Request, user: CurrentUser) -> dict:
    """multipart ``file`` (CSV/XLSX) and ``dry_run`` (default true) → each row's verdict and how many were
    created; confirming a file with bad rows is a 422 carrying the same rows, nothing created."""
    rosters.ensure_uploader(user)
    require_form_body(request)
    form = await checked_form(request, max_files=1, max_fields=4)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise FieldInvalid(
            "file",
            "請上傳名冊檔（CSV 或 XLSX，欄位名稱 file）",
            "Upload the roster (CSV or XLSX) as the file field 'file'",
            code="required",
        )
    data = await upload.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        raise FieldInvalid("file", "名冊檔超過 5 MB", "The roster exceeds 5 MB", code="too_large")
    dry_run = _dry_run(form.get("dry_run"))
    return await runtime_of(request).transaction(
        lambda uow: rosters.upload(uow, user, data, upload.filename or "", dry_run=dry_run)
    )


@router.get(
    "/template.csv",
    response_class=Response,
    responses={200: {"description": "CSV, UTF-8 with BOM", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def roster_template(user: CurrentUser) -> Response:
    """The header row (zh-TW and English names) and one example row."""
    rosters.ensure_uploader(user)
    return csv_response(roster.TEMPLATE_HEADER, [roster.TEMPLATE_EXAMPLE], "roster-template.csv")


@router.get("/prefills", response_model=PrefillList)
async def my_prefills(request: Request, user: CurrentUser) -> dict:
    """The signed-in student's pre-registered certificates still to complete."""
    async with runtime_of(request).uow() as uow:
        return await rosters.pending(uow, user)


@router.post(
    "/prefills/{prefill_id}/complete", status_code=201, response_model=Certificate, openapi_extra=COMPLETE_BODY
)
async def complete_prefill(prefill_id: str, request: Request, user: CurrentUser) -> dict:
    """multipart ``scan`` (and ``email``, default the signed-in address) → 201 with the new certificate."""
    runtime = runtime_of(request)
    user.require("student")
    pid = rosters.prefill_id_of(prefill_id)
    async with upload_slots(runtime):
        require_form_body(request)
        form = await checked_form(request, max_files=1, max_fields=4)
        scan, email = form.get("scan"), form.get("email")
        if isinstance(email, UploadFile):
            raise FieldInvalid("email", "欄位 email 應為文字", "The field email must be text", code="not_text")
        data = await scan.read(runtime.settings.max_scan_bytes + 1) if isinstance(scan, UploadFile) else None
        cert = await runtime.transaction(
            lambda uow: rosters.complete(uow, runtime.settings, runtime.files, user, pid, data, email)
        )
    return certificate_item(cert, user)
