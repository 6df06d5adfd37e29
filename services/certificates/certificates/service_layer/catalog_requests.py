"""Catalog requests: a student asks for a missing entry; an admin accepts (creating it) or declines."""

from __future__ import annotations

import uuid

from certhub_kit.auth import ADMIN, Principal
from certhub_kit.errors import Conflict, not_found
from certhub_kit.events.certificates import CatalogRequestAnswered, CatalogRequestFiled, StudentRef

from ..domain.catalog import EntrySpec, LevelSpec
from ..domain.errors import FieldInvalid
from . import catalog
from .access import ensure_student
from .unit_of_work import CertificatesUnitOfWork
from .views import request_item, student_ref

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    value = (value or "").strip() or None
    if required and not value:
        raise FieldInvalid(field, "此欄位必填", f"{field} is required", code="required")
    if value and len(value) > limit:
        raise FieldInvalid(field, f"最多 {limit} 個字", f"{field} may have at most {limit} characters", code="too_long")
    return value


async def file_request(
    uow: CertificatesUnitOfWork,
    user: Principal,
    *,
    name: str | None,
    issuer: str | None,
    level_name: str | None,
    note: str | None,
) -> dict:
    ensure_student(user)
    request = await uow.catalog.add_request(
        {
            "student_id": user.sub,
            "student_name": user.name,
            "student_email": user.email,
            "dept": user.dept,
            "name": _text(name, "name", 200, required=True),
            "issuer": _text(issuer, "issuer", 200),
            "level_name": _text(level_name, "level_name", 100),
            "note": _text(note, "note", 1000),
        }
    )
    await uow.emit(
        CatalogRequestFiled(
            request_id=request["id"],
            student=student_ref(user),
            name=request["name"],
            issuer=request["issuer"],
            level_name=request["level_name"],
        ),
        subject=str(request["id"]),
    )
    await uow.audit("catalog.request_filed", actor_id=user.sub, subject=str(request["id"]), to_state=PENDING)
    return request_item(request)


async def list_requests(
    uow: CertificatesUnitOfWork, user: Principal, *, status: str | None, limit: int, offset: int
) -> dict:
    if not user.has(ADMIN):
        ensure_student(user)
    rows = await uow.catalog.requests(
        student_id=None if user.has(ADMIN) else user.sub, status=status, limit=limit + 1, offset=offset
    )
    return {
        "items": [request_item(r) for r in rows[:limit]],
        "next_offset": offset + limit if len(rows) > limit else None,
    }


async def _pending(uow: CertificatesUnitOfWork, user: Principal, request_id: uuid.UUID) -> dict:
    user.require(ADMIN)
    request = await uow.catalog.request(request_id, for_update=True)
    if request is None:
        raise not_found("這筆目錄申請", "Catalog request")
    if request["status"] != PENDING:
        raise Conflict(
            "這筆目錄申請已處理過", "This catalog request has already been answered", code="already_answered"
        )
    return request


def _requester(request: dict) -> StudentRef:
    return StudentRef(
        id=request["student_id"], name=request["student_name"], email=request["student_email"], dept=request["dept"]
    )


async def accept(uow: CertificatesUnitOfWork, user: Principal, request_id: uuid.UUID, overrides: dict) -> dict:
    """Creates the entry from the request (admin may correct name, issuer, category, levels…)."""
    request = await _pending(uow, user, request_id)
    category = overrides.pop("category", None)
    if category is None:  # filing it under some default would hide it in the wrong category
        raise FieldInvalid(
            "category",
            "請選擇這張證照的類別再接受申請",
            "Choose the certificate's category before accepting",
            code="required",
        )
    levels = overrides.pop("levels", None)
    if levels is None:
        levels = [LevelSpec(name=request["level_name"])] if request["level_name"] else []
    spec = EntrySpec(
        key=overrides.pop("key", None) or "",
        name=overrides.pop("name", None) or request["name"],
        issuer=overrides.pop("issuer", None) or request["issuer"] or "",
        category=category,
        levels=levels,
        **overrides,
    )
    entry = await catalog.create_entry(uow, user, spec)
    answered = await uow.catalog.answer_request(
        request_id, {"status": ACCEPTED, "entry_id": uuid.UUID(entry["id"]), "answered_by": user.sub}
    )
    await uow.emit(
        CatalogRequestAnswered(
            request_id=request_id,
            student=_requester(request),
            name=entry["name"],
            accepted=True,
            entry_id=uuid.UUID(entry["id"]),
        ),
        subject=str(request_id),
    )
    await uow.audit(
        "catalog.request_answered",
        actor_id=user.sub,
        subject=str(request_id),
        from_state=PENDING,
        to_state=ACCEPTED,
        details={"entry_id": entry["id"]},
    )
    return {**request_item(answered), "entry": entry}


async def decline(uow: CertificatesUnitOfWork, user: Principal, request_id: uuid.UUID, reason: str | None) -> dict:
    request = await _pending(uow, user, request_id)
    reason = _text(reason, "reason", 1000, required=True)
    answered = await uow.catalog.answer_request(
        request_id, {"status": DECLINED, "reason": reason, "answered_by": user.sub}
    )
    await uow.emit(
        CatalogRequestAnswered(
            request_id=request_id, student=_requester(request), name=request["name"], accepted=False, reason=reason
        ),
        subject=str(request_id),
    )
    await uow.audit(
        "catalog.request_answered",
        actor_id=user.sub,
        subject=str(request_id),
        from_state=PENDING,
        to_state=DECLINED,
        reason=reason,
    )
    return request_item(answered)
