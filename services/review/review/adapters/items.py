"""The queue's items: upserted from certificate snapshots, never moving back to an older version."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.events.certificates import CertificateSnapshot

from ..domain.item import ReviewItem
from ..domain.rules import OtherCertificate
from .orm import deleted_certificates, review_items as items

ITEM_FIELDS = ("certificate_id", "version", "student_id", "student_name", "dept", "entry_key", "entry_name",
               "category", "issued_on", "status", "registered_at", "submitted_at", "it_certificate", "bundle",
               "level_name", "certificate_no", "scan_phash", "original_checked_at", "awaiting_status", "track",
               "checklist", "flags")


def to_item(row: Any) -> ReviewItem:
    return ReviewItem(**{name: getattr(row, name) for name in ITEM_FIELDS})


def snapshot_values(s: CertificateSnapshot) -> dict:
    student = s.student
    return dict(
        certificate_id=s.certificate_id, version=s.version, student_id=student.id, student_name=student.name,
        student_email=student.email, dept=student.dept, division=student.division, program=student.program,
        class_=student.class_, entry_id=s.entry_id, entry_key=s.entry_key, entry_name=s.entry_name,
        category=s.category, it_certificate=s.it_certificate, bundle=s.bundle, national_code=s.national_code,
        level_name=s.level_name, issued_on=s.issued_on, certificate_no=(s.certificate_no or None),
        scan_phash=s.scan_phash, status=s.status, registered_at=s.registered_at, submitted_at=s.submitted_at,
        queued_at=s.submitted_at or s.registered_at,
    )


class ItemRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, certificate_id: uuid.UUID, *, for_update: bool = False) -> ReviewItem | None:
        query = select(items).where(items.c.certificate_id == certificate_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return to_item(row) if row else None

    async def row(self, certificate_id: uuid.UUID) -> Any:
        return (await self.session.execute(select(items).where(items.c.certificate_id == certificate_id))).first()

    async def upsert(self, snapshot: CertificateSnapshot) -> tuple[ReviewItem | None, str | None]:
        """Stores the snapshot unless we hold the same or a newer version (or it was deleted).
        Returns (the stored item or None when ignored, the status it had before)."""
        if await self.session.scalar(select(deleted_certificates.c.certificate_id)
                                     .where(deleted_certificates.c.certificate_id == snapshot.certificate_id)):
            return None, None
        before = await self.get(snapshot.certificate_id, for_update=True)
        if before is not None and before.version >= snapshot.version:
            return None, before.status
        values = snapshot_values(snapshot)
        changes = {k: v for k, v in values.items() if k != "certificate_id"}
        if before is not None and before.awaiting_status is not None and (
                snapshot.status != before.status or snapshot.status == before.awaiting_status):
            changes["awaiting_status"] = None  # our decision (or another change) has been applied
        statement = (pg_insert(items).values(**values)
                     .on_conflict_do_update(index_elements=[items.c.certificate_id],
                                            set_={**changes, "updated_at": func.now()},
                                            where=items.c.version < snapshot.version)
                     .returning(items.c.certificate_id))
        if (await self.session.execute(statement)).first() is None:
            return None, before.status if before else None
        return await self.get(snapshot.certificate_id), (before.status if before else None)

    async def remove(self, certificate_id: uuid.UUID) -> ReviewItem | None:
        """Deletes the item and leaves a tombstone; returns what was removed."""
        found = await self.get(certificate_id, for_update=True)
        await self.session.execute(delete(items).where(items.c.certificate_id == certificate_id))
        await self.session.execute(pg_insert(deleted_certificates).values(certificate_id=certificate_id)
                                   .on_conflict_do_nothing())
        return found

    async def save_review(self, item: ReviewItem, rule_year: int) -> None:
        await self.session.execute(update(items).where(items.c.certificate_id == item.certificate_id).values(
            track=item.track, rule_year=rule_year, checklist=item.checklist, flags=item.flags, updated_at=func.now()))

    async def mark_decided(self, certificate_id: uuid.UUID, *, outcome: str, by: str, at: datetime) -> None:
        await self.session.execute(update(items).where(items.c.certificate_id == certificate_id).values(
            last_decision=outcome, decided_by=by, decided_at=at, awaiting_status=outcome, updated_at=func.now()))

    async def set_original(self, certificate_id: uuid.UUID, *, key: str | None, content_type: str | None,
                           by: str | None, at: datetime | None) -> None:
        await self.session.execute(update(items).where(items.c.certificate_id == certificate_id).values(
            original_key=key, original_content_type=content_type, original_checked_by=by,
            original_checked_at=at, updated_at=func.now()))

    async def others_like(self, item: ReviewItem) -> list[OtherCertificate]:
        """Candidates for the duplicate rule: same certificate number, or another student's scan."""
        conditions = []
        if item.scan_phash:
            conditions.append(and_(items.c.scan_phash.is_not(None), items.c.student_id != item.student_id))
        if item.certificate_no:
            conditions.append(func.upper(func.trim(items.c.certificate_no)) == item.certificate_no.strip().upper())
        if not conditions:
            return []
        query = (select(items.c.certificate_id, items.c.student_id, items.c.certificate_no, items.c.scan_phash)
                 .where(items.c.certificate_id != item.certificate_id, or_(*conditions)))
        rows = (await self.session.execute(query)).all()
        return [OtherCertificate(str(r.certificate_id), r.student_id, r.certificate_no, r.scan_phash) for r in rows]

    async def ids_with_status(self, statuses: set[str]) -> list[uuid.UUID]:
        query = select(items.c.certificate_id).where(items.c.status.in_(sorted(statuses)))
        return list((await self.session.scalars(query)).all())

    async def passing_bundle_members(self, student_id: str, bundle: str, statuses: set[str]) -> list[str]:
        query = select(items.c.certificate_id).where(items.c.student_id == student_id, items.c.bundle == bundle,
                                                     items.c.status.in_(sorted(statuses)))
        return [str(i) for i in (await self.session.scalars(query)).all()]

