"""Reading certificates: one, or a keyset-paginated list scoped to who is asking."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal
from certhub_kit.errors import Forbidden

from ..adapters.certificate_repository import ListFilter
from ..domain import status as machine
from ..domain.errors import FieldInvalid
from .access import ensure_can_read
from .unit_of_work import CertificatesUnitOfWork
from .views import certificate_item


def encode_cursor(cert: dict) -> str:
    raw = json.dumps([cert["created_at"].isoformat(), str(cert["id"])]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        created, ident = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise FieldInvalid(
            "cursor", "分頁游標無效，請重新查詢", "The cursor is not valid; please start again", code="bad_cursor"
        ) from None


def _scope(user: Principal, dept: str | None, student: str | None) -> dict:
    if user.has(CENTER, ADMIN):
        return {"depts": (dept,) if dept else None, "student": student}
    if user.has(REVIEWER):
        if dept and dept not in user.depts:
            raise Forbidden(
                "您只能查詢負責系所的證照", "You may only list the departments you review", code="other_department"
            )
        return {"depts": (dept,) if dept else tuple(user.depts), "student": student}
    if user.is_student:
        return {"student_id": user.sub}
    raise Forbidden("您沒有權限", "Forbidden", code="forbidden_role")


async def list_certificates(
    uow: CertificatesUnitOfWork,
    user: Principal,
    *,
    dept: str | None,
    status: str | None,
    student: str | None,
    limit: int,
    cursor: str | None,
) -> dict:
    if status and status not in {s.value for s in machine.Status}:
        raise FieldInvalid("status", f"未知的狀態「{status}」", f"Unknown status {status!r}", code="bad_status")
    filters = ListFilter(status=status, after=decode_cursor(cursor), **_scope(user, dept, student))
    rows = await uow.certificates.list(filters, limit=limit + 1)
    page = rows[:limit]
    return {
        "items": [certificate_item(c, user) for c in page],
        "next_cursor": encode_cursor(page[-1]) if len(rows) > limit else None,
    }


async def get_certificate(uow: CertificatesUnitOfWork, user: Principal, certificate_id: uuid.UUID) -> dict:
    return ensure_can_read(user, await uow.certificates.get(certificate_id))
