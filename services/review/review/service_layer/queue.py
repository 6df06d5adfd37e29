"""Use case: the review queue of a reviewer (their departments) or the centre (all)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from certhub_kit.auth import Principal
from certhub_kit.errors import Invalid, not_found
from certhub_kit.pagination import decode_cursor, next_page

from ..adapters.queue_query import QueueFilter, item_with_sla, queue_page
from ..domain.academic_year import taipei_date
from ..domain.sla import deadline
from ..domain.statuses import ALL_STATUSES, REVIEWABLE
from .access import require_dept, require_staff
from .originals import original_url


def parse_statuses(raw: str | None) -> tuple[str, ...] | None:
    """Empty = the reviewable statuses; ``all`` = any; else a comma-separated list."""
    if not raw:
        return tuple(sorted(REVIEWABLE))
    if raw == "all":
        return None
    wanted = tuple(s.strip() for s in raw.split(",") if s.strip())
    unknown = [s for s in wanted if s not in ALL_STATUSES]
    if unknown or not wanted:
        raise Invalid(
            f"不支援的狀態：{', '.join(unknown) or raw}",
            f"Unknown status: {', '.join(unknown) or raw}",
            code="invalid_status",
        )
    return wanted


SORTS = ("queued", "due")  # oldest queued first (default) | soonest due first


def scope_depts(who: Principal, dept: str | None) -> tuple[str, ...] | None:
    require_staff(who)
    if dept:
        require_dept(who, dept)
        return (dept,)
    return None if who.is_center else tuple(who.depts)


async def list_queue(
    uow,
    who: Principal,
    *,
    status: str | None,
    dept: str | None,
    category: int | None,
    student: str | None,
    min_age_days: int | None,
    limit: int,
    cursor: str | None,
    overdue: bool | None = None,
    sort: str = "queued",
) -> dict:
    now = datetime.now(UTC)
    by_due = sort == "due"
    f = QueueFilter(
        statuses=parse_statuses(status),
        depts=scope_depts(who, dept),
        category=category,
        student=(student or "").strip() or None,
        queued_before=now - timedelta(days=min_age_days) if min_age_days else None,
        overdue=overdue,
        today=taipei_date(now),
        by_due=by_due,
        after=decode_cursor(cursor, date if by_due else datetime, uuid.UUID),
    )
    rows, next_cursor = next_page(
        await queue_page(uow.session, f, limit + 1),
        limit,
        lambda r: (r.due_on if by_due else r.queued_at, r.certificate_id),
    )
    return {"items": [queue_entry(r, now, who) for r in rows], "next_cursor": next_cursor}


async def one_item(uow, who: Principal, certificate_id: uuid.UUID) -> dict:
    require_staff(who)
    row = await item_with_sla(uow.session, certificate_id)
    if row is None:
        raise not_found("此證照的審核資料", "Review item")
    require_dept(who, row.dept)
    return queue_entry(row, datetime.now(UTC), who)


def sla_fields(r: Any, now: datetime) -> dict:
    """``age_days`` in the current stage, ``due_on`` (Taipei date) and ``overdue`` of a row with ``sla_days``."""
    due = deadline(r.status, r.stage_since, r.sla_days, now)
    return {
        "age_days": due.age_days,
        "stage_since": r.stage_since.isoformat(),
        "due_on": due.due_on.isoformat() if due.due_on else None,
        "overdue": due.overdue,
        "sla_days": r.sla_days,
    }


def visible_flags(flags: list[dict] | None, who: Principal) -> list[dict]:
    """A flag names the matching certificate only to staff who may open it; a reviewer of another
    department learns that a match exists elsewhere, never which certificate it is."""
    return [
        f if who.can_review_dept(f.get("dept")) else {**f, "certificate_id": None, "dept": None, "elsewhere": True}
        for f in flags or []
    ]


def queue_entry(r: Any, now: datetime, who: Principal) -> dict:
    cid = r.certificate_id
    return {
        "certificate_id": str(cid),
        "student_id": r.student_id,
        "student_name": r.student_name,
        "dept": r.dept,
        "class": r.class_,
        "entry_key": r.entry_key,
        "entry_name": r.entry_name,
        "level_name": r.level_name,
        "entry_name_en": r.entry_name_en,
        "level_name_en": r.level_name_en,
        "category": r.category,
        "it_certificate": r.it_certificate,
        "bundle": r.bundle,
        "issued_on": r.issued_on.isoformat(),
        "certificate_no": r.certificate_no,
        "status": r.status,
        "registered_at": r.registered_at.isoformat(),
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        **sla_fields(r, now),
        "track": r.track,
        "checklist": r.checklist,
        "flags": visible_flags(r.flags, who),
        "scan_url": f"/api/certificates/{cid}/scan",
        "thumbnail_url": f"/api/certificates/{cid}/thumbnail",
        "original_url": original_url(cid) if r.original_key else None,
        "original_checked_at": r.original_checked_at.isoformat() if r.original_checked_at else None,
        "last_decision": r.last_decision,
        "decided_by": r.decided_by,
        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
        "decision_pending": r.awaiting_status is not None and r.awaiting_status != r.status,
        "version": r.version,
    }
