"""Reading certificates: one, or a keyset-paginated list scoped to who is asking."""

from __future__ import annotations

import uuid
from datetime import datetime

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal
from certhub_kit.errors import Forbidden
from certhub_kit.pagination import decode_cursor, next_page

from ..adapters.certificate_repository import ListFilter
from ..domain import status as machine
from ..domain.certificate import Certificate
from ..domain.errors import FieldInvalid
from .access import ensure_can_read
from .unit_of_work import CertificatesUnitOfWork
from .views import certificate_item


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
    after = decode_cursor(cursor, datetime, uuid.UUID)
    filters = ListFilter(status=status, after=after, **_scope(user, dept, student))
    page, next_cursor = next_page(
        await uow.certificates.list(filters, limit=limit + 1), limit, lambda c: (c.created_at, c.id)
    )
    return {"items": [certificate_item(c, user) for c in page], "next_cursor": next_cursor}


async def get_certificate(uow: CertificatesUnitOfWork, user: Principal, certificate_id: uuid.UUID) -> Certificate:
    return ensure_can_read(user, await uow.certificates.get(certificate_id))
