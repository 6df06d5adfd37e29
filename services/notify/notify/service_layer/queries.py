"""Read models for the HTTP API: the delivery log (admins) and the dev mailbox."""

from __future__ import annotations

from typing import Any

from certhub_kit.errors import Invalid
from certhub_kit.pagination import decode_cursor, next_page

from ..domain.delivery import STATUSES
from .unit_of_work import NotifyUnitOfWork


async def list_deliveries(
    uow: NotifyUnitOfWork, *, status: str | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    if status and status not in STATUSES:
        raise Invalid(
            f"狀態必須是 {'、'.join(STATUSES)} 之一",
            f"status must be one of {', '.join(STATUSES)}",
            code="invalid_status",
        )
    before = decode_cursor(cursor, int)
    rows, next_cursor = next_page(
        await uow.deliveries.page(status=status or None, limit=limit + 1, before_id=before[0] if before else None),
        limit,
        lambda row: (row.id,),
    )
    items = [
        {
            "id": row.id,
            "event_id": str(row.event_id),
            "event_type": row.event_type,
            "recipient": row.recipient,
            "template": row.template,
            "status": row.status,
            "attempts": row.attempts,
            "last_error": row.last_error,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


async def captured_mails(uow: NotifyUnitOfWork, *, limit: int, recipient: str | None) -> list[dict[str, Any]]:
    rows = await uow.mailbox.latest(limit, recipient)
    return [
        {
            "to": row.recipient,
            "subject": row.subject,
            "text": row.text,
            "html": row.html,
            "sent_at": row.sent_at.isoformat(),
        }
        for row in rows
    ]
