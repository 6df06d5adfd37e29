"""Use case: where a student's certificate stands — its stage, who holds it, when to expect a decision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, STUDENT, Principal
from certhub_kit.errors import not_found

from ..adapters.queue_query import item_with_sla, student_items
from ..domain.sla import holder_of
from .access import require_dept
from .queue import sla_fields


def progress_entry(r: Any, now: datetime) -> dict:
    held = holder_of(
        r.status, original_checked=r.original_checked_at is not None, original_required=bool(r.original_required)
    )
    return {
        "certificate_id": str(r.certificate_id),
        "status": r.status,
        "stage": held.stage,
        "stage_en": held.stage_en,
        "holder": held.holder,
        "holder_en": held.holder_en,
        **sla_fields(r, now),
    }


async def item_progress(uow, who: Principal, certificate_id: uuid.UUID) -> dict:
    """The owner, a reviewer of the item's department, or the centre; anyone else's item is a 404 to a
    student (not revealing that it exists) and a 403 to a reviewer of another department."""
    row = await item_with_sla(uow.session, certificate_id)
    is_staff = who.has(REVIEWER, CENTER, ADMIN)
    if row is None or (row.student_id != who.sub and not is_staff):
        raise not_found("此證照的審核進度", "Review progress of this certificate")
    if row.student_id != who.sub:
        require_dept(who, row.dept)
    return progress_entry(row, datetime.now(UTC))


async def my_progress(uow, who: Principal) -> dict:
    """Every certificate of the signed-in student (students only)."""
    who.require(STUDENT)
    now = datetime.now(UTC)
    return {"items": [progress_entry(r, now) for r in await student_items(uow.session, who.sub)]}
