"""The queue's items: upserted from certificate snapshots, never moving back to an older version."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, literal, null, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.events.certificates import CertificateSnapshot

from ..domain.item import ReviewItem
from ..domain.rules import OtherCertificate
from .orm import deleted_certificates, review_items as items

SNAPSHOT_COLUMNS = ("certificate_id", "version", "student_id", "student_name", "student_email", "dept", "division",
                    "program", "class_", "entry_id", "entry_key", "entry_name", "category", "it_certificate",
                    "bundle", "national_code", "level_name", "issued_on", "certificate_no", "scan_phash", "status",
                    "registered_at", "submitted_at", "queued_at")
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


def snapshot_params(snapshot: CertificateSnapshot) -> dict:
    return {f"new_{k}": v for k, v in snapshot_values(snapshot).items()}


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
        Returns (the stored item or None when ignored, the status it had before).
        Two round trips: the held row (locked) with the tombstone check, then the upsert."""
        found = (await self.session.execute(_HELD, {"held_id": snapshot.certificate_id})).one()
        if found.gone:
            return None, None
        before = to_item(found) if found.certificate_id is not None else None
        if before is not None and before.version >= snapshot.version:
            return None, before.status
        stored = (await self.session.execute(_UPSERT, snapshot_params(snapshot))).first()
        return (to_item(stored) if stored else None), (before.status if before else None)

    async def held(self, certificate_ids: list[uuid.UUID]) -> tuple[dict[uuid.UUID, ReviewItem], set[uuid.UUID]]:
        """The items held for these certificates and which of them are deleted: two statements for
        any number. Not locked: the upsert's version guard decides what is stored, and a bundle row
        must still be locked before its item (``take_snapshot``)."""
        ids = sorted(certificate_ids)
        rows = await self.session.execute(select(items).where(items.c.certificate_id.in_(ids)))
        gone = await self.session.scalars(select(deleted_certificates.c.certificate_id)
                                          .where(deleted_certificates.c.certificate_id.in_(ids)))
        return {r.certificate_id: to_item(r) for r in rows}, set(gone.all())

    async def upsert_many(self, snapshots: list[CertificateSnapshot]) -> list[ReviewItem]:
        """Stores snapshots of distinct certificates (newer versions only) in one statement;
        returns the items stored."""
        if not snapshots:
            return []
        rows = await self.session.execute(_UPSERT, [snapshot_params(s) for s in snapshots])
        return [to_item(r) for r in rows]

    async def remove(self, certificate_id: uuid.UUID) -> ReviewItem | None:
        """Deletes the item and leaves a tombstone; returns what was removed."""
        found = await self.get(certificate_id, for_update=True)
        await self.session.execute(delete(items).where(items.c.certificate_id == certificate_id))
        await self.session.execute(pg_insert(deleted_certificates).values(certificate_id=certificate_id)
                                   .on_conflict_do_nothing())
        return found

    async def save_review(self, item: ReviewItem) -> None:
        await self.save_reviews([item])

    async def save_reviews(self, reviewed: list[ReviewItem]) -> None:
        """Stores the checklists and flags of evaluated items (one executemany for any number)."""
        if reviewed:
            await self.session.execute(_SAVE_REVIEW, [{
                "item_id": i.certificate_id, "new_track": i.track, "new_rule_year": i.academic_year,
                "new_checklist": i.checklist, "new_flags": i.flags} for i in reviewed])

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
                 .where(items.c.certificate_id != item.certificate_id, or_(*conditions))
                 .order_by(items.c.certificate_id))  # flags in a stable order
        rows = (await self.session.execute(query)).all()
        return [OtherCertificate(str(r.certificate_id), r.student_id, r.certificate_no, r.scan_phash) for r in rows]

    async def ids_with_status(self, statuses: set[str]) -> list[uuid.UUID]:
        query = select(items.c.certificate_id).where(items.c.status.in_(sorted(statuses)))
        return list((await self.session.scalars(query)).all())

    async def passing_bundle_members(self, student_id: str, bundle: str, statuses: set[str]) -> list[str]:
        query = select(items.c.certificate_id).where(items.c.student_id == student_id, items.c.bundle == bundle,
                                                     items.c.status.in_(sorted(statuses)))
        return [str(i) for i in (await self.session.scalars(query)).all()]


def _held_statement():
    """The item row (locked until commit) and whether a tombstone exists, in one statement:
    one row always, the item's columns NULL when there is none."""
    held_id = bindparam("held_id", type_=items.c.certificate_id.type)
    locked = select(items).where(items.c.certificate_id == held_id).with_for_update().cte("held")
    gone = select(deleted_certificates.c.certificate_id).where(
        deleted_certificates.c.certificate_id == held_id).exists()
    one = select(literal(1).label("one")).subquery("one")
    return select(gone.label("gone"), *locked.c).select_from(one.outerjoin(locked, true()))


def _upsert_statement():
    """Insert, or update an older version; returns the stored row (nothing when ours is as new).
    Only per-row parameters, so a list of snapshots goes as one multi-row insert."""
    names = SNAPSHOT_COLUMNS
    stmt = pg_insert(items).values({name: bindparam(f"new_{name}", type_=items.c[name].type) for name in names})
    changes = {name: stmt.excluded[name] for name in names if name != "certificate_id"}
    # a decision awaiting its echo is answered once the status moves (or arrives at what was decided)
    answered = and_(items.c.awaiting_status.is_not(None), or_(stmt.excluded.status != items.c.status,
                                                              stmt.excluded.status == items.c.awaiting_status))
    changes["awaiting_status"] = case((answered, null()), else_=items.c.awaiting_status)
    return (stmt.on_conflict_do_update(index_elements=[items.c.certificate_id],
                                       set_={**changes, "updated_at": func.now()},
                                       where=items.c.version < stmt.excluded.version)
            .returning(*[items.c[name] for name in ITEM_FIELDS]))


_HELD = _held_statement()
_SAVE_REVIEW = update(items).where(
    items.c.certificate_id == bindparam("item_id", type_=items.c.certificate_id.type)).values(
    {name: bindparam(f"new_{name}", type_=items.c[name].type) for name in ("track", "rule_year", "checklist", "flags")}
    | {"updated_at": func.now()})
_UPSERT = _upsert_statement()
