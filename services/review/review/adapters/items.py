"""The queue's items: upserted from certificate snapshots, never moving back to an older version."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIT
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.events.certificates import CertificateSnapshot

from ..domain.item import ReviewItem
from ..domain.rules import BANDED_UP_TO, OtherCertificate, phash_bands
from .item_statements import HELD, HELD_MANY, ITEM_FIELDS, SAVE_REVIEW, SNAPSHOT_COLUMNS, UPSERT
from .orm import deleted_certificates
from .orm import review_items as items


class Held(NamedTuple):
    version: int | None  # None: deleted
    status: str | None
    content_version: int | None = None


PHASH = re.compile(r"[0-9a-fA-F]{16}")
CANDIDATES_PER_LIMIT = 5  # others_like measures at most this many matches per flag it may return


def _phash_distance(mine: str):
    """Hamming distance of a stored 64-bit perceptual hash (hex) to ``mine``; a malformed one counts as far."""
    theirs = cast(literal("x") + items.c.scan_phash, BIT(64))
    return case(
        (
            items.c.scan_phash.regexp_match("^[0-9a-fA-F]{16}$"),
            func.bit_count(theirs.op("#")(cast(literal("x" + mine), BIT(64)))),
        ),
        else_=64,
    )


def to_item(row: Any) -> ReviewItem:
    mapping = row._mapping
    return ReviewItem(**{name: mapping[name] for name in ITEM_FIELDS if name in mapping})


def snapshot_values(s: CertificateSnapshot) -> dict:
    student = s.student
    return dict(
        certificate_id=s.certificate_id,
        version=s.version,
        student_id=student.id,
        student_name=student.name,
        student_email=student.email,
        dept=student.dept,
        division=student.division,
        program=student.program,
        class_=student.class_,
        entry_id=s.entry_id,
        entry_key=s.entry_key,
        entry_name=s.entry_name,
        category=s.category,
        it_certificate=s.it_certificate,
        bundle=s.bundle,
        national_code=s.national_code,
        level_name=s.level_name,
        issued_on=s.issued_on,
        certificate_no=(s.certificate_no or None),
        scan_phash=s.scan_phash,
        status=s.status,
        registered_at=s.registered_at,
        submitted_at=s.submitted_at,
        queued_at=s.submitted_at or s.registered_at,
        content_version=s.content_version,
        cefr=s.cefr,
        stage_since=s.submitted_at or s.registered_at,
        entry_name_en=s.entry_name_en,
        level_name_en=s.level_name_en,
    )


def snapshot_arrays(snapshots: list[CertificateSnapshot]) -> dict:
    """The snapshots as one array per column (the upsert unnests them: one statement, any number)."""
    rows = [snapshot_values(s) for s in snapshots]
    return {f"new_{name}": [row[name] for row in rows] for name in SNAPSHOT_COLUMNS}


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

    async def upsert(self, snapshot: CertificateSnapshot) -> tuple[ReviewItem | None, Held]:
        """Stores the snapshot unless we hold the same or a newer version (or it was deleted).
        Returns (the stored item or None when ignored, what was held before).
        Two round trips: the held row (locked) with the tombstone check, then the upsert."""
        found = (await self.session.execute(HELD, {"held_id": snapshot.certificate_id})).one()
        if found.gone:
            return None, Held(None, None)
        before = to_item(found) if found.certificate_id is not None else None
        held = Held(before.version, before.status, before.content_version) if before else Held(0, None)
        if before is not None and before.version >= snapshot.version:
            return None, held
        stored = (await self.session.execute(UPSERT, snapshot_arrays([snapshot]))).first()
        return (to_item(stored) if stored else None), held

    async def held(self, certificate_ids: list[uuid.UUID]) -> dict[uuid.UUID, Held]:
        """Version and status held for these certificates (deleted ones: version None), in one
        statement for any number. Not locked: the upsert's version guard decides what is stored,
        and a bundle row must still be locked before its item (``take_snapshot``)."""
        rows = await self.session.execute(HELD_MANY, {"held_ids": sorted(certificate_ids)})
        return {r.certificate_id: Held(r.version, r.status, r.content_version) for r in rows}

    async def upsert_many(self, snapshots: list[CertificateSnapshot]) -> list[ReviewItem]:
        """Stores snapshots of distinct certificates (newer versions only) in one statement;
        returns the items stored."""
        if not snapshots:
            return []
        rows = await self.session.execute(UPSERT, snapshot_arrays(snapshots))
        return [to_item(r) for r in rows]

    async def remove(self, certificate_id: uuid.UUID) -> ReviewItem | None:
        """Deletes the item and leaves a tombstone; returns what was removed."""
        found = await self.get(certificate_id, for_update=True)
        await self.session.execute(delete(items).where(items.c.certificate_id == certificate_id))
        await self.session.execute(
            pg_insert(deleted_certificates).values(certificate_id=certificate_id).on_conflict_do_nothing()
        )
        return found

    async def save_review(self, item: ReviewItem) -> None:
        await self.save_reviews([item])

    async def save_reviews(self, reviewed: list[ReviewItem]) -> None:
        """Stores the checklists and flags of evaluated items (one executemany for any number)."""
        if reviewed:
            await self.session.execute(
                SAVE_REVIEW,
                {
                    "item_ids": [i.certificate_id for i in reviewed],
                    "tracks": [i.track for i in reviewed],
                    "rule_years": [i.academic_year for i in reviewed],
                    "checklists": [json.dumps(i.checklist, ensure_ascii=False) for i in reviewed],
                    "flag_lists": [json.dumps(i.flags, ensure_ascii=False) for i in reviewed],
                },
            )

    async def mark_decided(self, certificate_id: uuid.UUID, *, outcome: str, by: str, at: datetime) -> None:
        await self.session.execute(
            update(items)
            .where(items.c.certificate_id == certificate_id)
            .values(last_decision=outcome, decided_by=by, decided_at=at, awaiting_status=outcome, updated_at=func.now())
        )

    async def set_original(
        self,
        certificate_id: uuid.UUID,
        *,
        key: str | None,
        content_type: str | None,
        by: str | None,
        at: datetime | None,
    ) -> None:
        await self.session.execute(
            update(items)
            .where(items.c.certificate_id == certificate_id)
            .values(
                original_key=key,
                original_content_type=content_type,
                original_checked_by=by,
                original_checked_at=at,
                updated_at=func.now(),
            )
        )

    async def others_like(self, item: ReviewItem, phash_threshold: int, limit: int) -> list[OtherCertificate]:
        """Candidates for the duplicate rule, nearest first and at most ``limit``: the same certificate
        number (indexed), then other students' scans within ``phash_threshold`` bits: found through
        the GIN index of hash bands (thresholds up to ``BANDED_UP_TO`` bits; beyond, every stored scan
        is measured) and measured in the database. One statement whose cost is bounded whatever the
        number of look-alikes: the nearest are picked among the first ``CANDIDATES_PER_LIMIT * limit``
        matches found (a scan copied by thousands is compared with a few hundred, not all of them)."""
        conditions, near = [], None
        if item.scan_phash and PHASH.fullmatch(item.scan_phash):
            near = _phash_distance(item.scan_phash)
            candidates = (
                items.c.scan_bands.overlap(phash_bands(item.scan_phash))  # index: one band in common
                if phash_threshold <= BANDED_UP_TO
                else items.c.scan_phash.is_not(None)
            )
            conditions.append(and_(candidates, items.c.student_id != item.student_id, near <= phash_threshold))
        same_number = None
        if item.certificate_no:
            same_number = func.upper(func.trim(items.c.certificate_no)) == item.certificate_no.strip().upper()
            conditions.append(same_number)
        if not conditions:
            return []
        closeness = near if near is not None else literal(64)
        if same_number is not None:
            closeness = case((same_number, -1), else_=closeness)
        found = (
            select(
                items.c.certificate_id,
                items.c.student_id,
                items.c.certificate_no,
                items.c.scan_phash,
                items.c.dept,
                closeness.label("closeness"),
            )
            .where(items.c.certificate_id != item.certificate_id, or_(*conditions))
            .limit(CANDIDATES_PER_LIMIT * limit)
            .subquery("found")
        )  # no order: stops at the cap
        query = select(found).order_by(found.c.closeness, found.c.certificate_id).limit(limit)  # nearest, stable
        rows = (await self.session.execute(query)).all()
        return [
            OtherCertificate(str(r.certificate_id), r.student_id, r.certificate_no, r.scan_phash, r.dept) for r in rows
        ]

    async def many(self, certificate_ids: list[uuid.UUID]) -> list[ReviewItem]:
        """The items with these ids (those present), in one statement."""
        if not certificate_ids:
            return []
        ids = bindparam("many_ids", type_=ARRAY(items.c.certificate_id.type))
        query = select(items).where(items.c.certificate_id == func.any(ids)).order_by(items.c.certificate_id)
        rows = await self.session.execute(query, {"many_ids": sorted(certificate_ids)})
        return [to_item(r) for r in rows]

    async def flagged_with(self, certificate_id: uuid.UUID) -> list[uuid.UUID]:
        """Items whose flags point at this certificate."""
        query = (
            select(items.c.certificate_id)
            .where(items.c.flags.contains([{"certificate_id": str(certificate_id)}]))
            .order_by(items.c.certificate_id)
        )
        return list((await self.session.scalars(query)).all())

    async def ids_with_status(self, statuses: set[str], *, dept: str | None = None) -> list[uuid.UUID]:
        query = select(items.c.certificate_id).where(items.c.status.in_(sorted(statuses)))
        if dept is not None:
            query = query.where(items.c.dept == dept)
        return list((await self.session.scalars(query)).all())

    async def passing_bundle_members(self, student_id: str, bundle: str, statuses: set[str]) -> list[str]:
        query = select(items.c.certificate_id).where(
            items.c.student_id == student_id, items.c.bundle == bundle, items.c.status.in_(sorted(statuses))
        )
        return [str(i) for i in (await self.session.scalars(query)).all()]
