"""Use case: the centre checks a certificate's original and uploads its scan (KSU 查證) → verifying."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from certhub_kit.auth import Principal
from certhub_kit.errors import Conflict, not_found
from certhub_kit.events.review import OriginalScanned
from certhub_kit.scans import Scan
from certhub_kit.storage import ObjectStorage

from ..domain.statuses import LABELS_ZH, SUBMITTED, VERIFYING
from .access import require_center, require_dept, require_staff
from .unit_of_work import ReviewUnitOfWork

ORIGINALS = "originals"


async def ensure_checkable(uow: ReviewUnitOfWork, who: Principal, certificate_id: uuid.UUID) -> None:
    """The cheap refusals (role, item, status), before the scan is parsed or stored."""
    require_center(who)
    await _checkable(uow, certificate_id)


async def check_original(
    uow: ReviewUnitOfWork, storage: ObjectStorage, who: Principal, certificate_id: uuid.UUID, scan: Scan
) -> dict:
    """Stores the (checked) scan under a generated key and emits ``certificate.original_scanned.v1``.
    A transaction that does not commit removes the object; the replaced one goes once it has."""
    require_center(who)
    key = f"{certificate_id}/{uuid.uuid4().hex}.{scan.kind}"
    await storage.put(ORIGINALS, key, scan.data, scan.content_type)
    uow.on_rollback(lambda: storage.delete(ORIGINALS, key))
    item, old_key = await _checkable(uow, certificate_id, lock=True)
    now = datetime.now(UTC)
    await uow.items.set_original(certificate_id, key=key, content_type=scan.content_type, by=who.sub, at=now)
    if item.status == SUBMITTED:
        await uow.emit(
            OriginalScanned(
                certificate_id=certificate_id,
                student_id=item.student_id,
                scanned_by=who.sub,
                scanned_at=now,
                version=item.version,
            ),
            subject=str(certificate_id),
        )
    await uow.audit(
        "review.original_scanned",
        actor_id=who.sub,
        subject=str(certificate_id),
        from_state=item.status,
        to_state=VERIFYING,
        details={"content_type": scan.content_type, "pages": scan.pages, "replaced": bool(old_key)},
    )
    if old_key:
        uow.after_commit(lambda: storage.delete(ORIGINALS, old_key))
    return {
        "certificate_id": str(certificate_id),
        "status": VERIFYING,
        "original_checked_at": now.isoformat(),
        "original_checked_by": who.sub,
        "original_url": original_url(certificate_id),
    }


async def _checkable(uow: ReviewUnitOfWork, certificate_id: uuid.UUID, *, lock: bool = False):
    item = await uow.items.get(certificate_id, for_update=lock)
    if item is None:
        raise not_found("此證照的審核資料", "Review item")
    if item.status not in (SUBMITTED, VERIFYING):
        label = LABELS_ZH.get(item.status, item.status)
        raise Conflict(
            f"此證照目前為「{label}」，只有申請中的證照需要查證正本",
            f"This certificate is {item.status}; only submitted certificates get an original check",
            code="not_checkable",
        )
    row = await uow.items.row(certificate_id)
    return item, row.original_key


async def read_original(runtime, who: Principal, certificate_id: uuid.UUID) -> tuple[bytes, str]:
    """The stored original, for the centre and the reviewers of the student's department."""
    require_staff(who)
    async with runtime.uow() as uow:
        row = await uow.items.row(certificate_id)
    if row is None or not row.original_key:
        raise not_found("此證照的正本", "Original scan")
    require_dept(who, row.dept)
    return await runtime.storage.get(ORIGINALS, row.original_key), row.original_content_type


def original_url(certificate_id) -> str:
    return f"/api/review/{certificate_id}/original"
