"""Event handlers: the queue follows the certificates service's snapshots (newest version wins).

Handlers never commit; the inbox commits their effects with the inbox row.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from certhub_kit.events.certificates import CertificateDeleted, CertificateSnapshot, DepartmentChanged

from ..adapters.items import Held
from ..domain.item import ReviewItem
from ..domain.rules import RECOGNISED
from ..domain.statuses import APPROVED, DRAFT, REJECTED, SUBMITTED
from .decisions import SYSTEM, record_decision
from .evaluation import Context, evaluate_item, evaluate_items, reevaluate_dept, refresh
from .unit_of_work import ReviewUnitOfWork


async def on_certificate_snapshots(events: list, uow: ReviewUnitOfWork) -> None:
    """registered / confirmed / updated / status_changed all carry the full snapshot. Consecutive
    plain ones are stored with one upsert and one checklist update; what needs more care — several
    versions of one certificate, a bundle member, a rejected certificate coming back, an edit of what was
    verified — goes through
    ``take_snapshot`` in its place, since a checklist counts what passed before it."""
    snapshots = [payload.certificate for payload, _ in events]
    copies = Counter(s.certificate_id for s in snapshots)
    ctx = await Context.of(uow)
    held = await uow.items.held(list(copies))
    plain: list[CertificateSnapshot] = []
    for snapshot in snapshots:
        before = held.get(snapshot.certificate_id, Held(0, None))
        if copies[snapshot.certificate_id] == 1 and not _needs_care(ctx, snapshot, before):
            if before.version is not None and before.version < snapshot.version:  # not deleted, and newer
                plain.append(snapshot)
            continue
        await _take_plain(uow, ctx, plain)
        plain = []
        await take_snapshot(uow, snapshot)
    await _take_plain(uow, ctx, plain)


async def _take_plain(uow: ReviewUnitOfWork, ctx: Context, snapshots: list[CertificateSnapshot]) -> None:
    stored = await uow.items.upsert_many(snapshots)
    await evaluate_items(uow, ctx, stored)
    for item in stored:
        await _reject_unrecognised(uow, item)


def _needs_care(ctx: Context, snapshot: CertificateSnapshot, before: Held) -> bool:
    bundled = ctx.setup.track_for(snapshot.category, snapshot.student.dept).bundle_size(snapshot.bundle)
    return bool(bundled) or _restarted(before, snapshot.status, snapshot.content_version)


def _restarted(before: Held, status: str, content_version: int) -> bool:
    """Back at the start of its track: resubmitted after a rejection, or what was verified changed
    (an original checked or a bundle place earned before no longer count)."""
    resubmitted = before.status == REJECTED and status in (DRAFT, SUBMITTED)
    return resubmitted or (before.content_version is not None and content_version > before.content_version)


async def take_snapshot(uow: ReviewUnitOfWork, snapshot: CertificateSnapshot) -> ReviewItem | None:
    ctx = await Context.of(uow)
    progress = None
    if snapshot.bundle and ctx.setup.track_for(snapshot.category, snapshot.student.dept).bundle_size(snapshot.bundle):
        progress = await uow.bundles.lock(snapshot.student.id, snapshot.bundle)  # bundle row before item row
    item, before = await uow.items.upsert(snapshot)
    if item is None:
        return None
    restarted = _restarted(before, item.status, item.content_version)
    if progress is not None and (item.status == REJECTED or restarted) and progress.withdraw(str(item.certificate_id)):
        await uow.bundles.save(progress)
    if restarted and item.original_checked_at is not None:
        await uow.items.set_original(item.certificate_id, key=None, content_type=None, by=None, at=None)
        item.original_checked_at = None
    await evaluate_item(uow, ctx, item)
    await _reject_unrecognised(uow, item)
    return item


async def _reject_unrecognised(uow: ReviewUnitOfWork, item: ReviewItem) -> None:
    """Rule 1: an entry off the track's recognised list is rejected at once, by the system."""
    if item.status != SUBMITTED or item.awaiting_status is not None:
        return
    failed = next((c for c in item.checklist if c["rule"] == RECOGNISED and not c["passed"]), None)
    if failed is not None:
        await record_decision(
            uow,
            item,
            REJECTED,
            f"{failed['reason']}（{failed['reason_en']}）",
            SYSTEM,
            action="review.auto_rejected",
            details={"rule": RECOGNISED},
        )


async def on_certificate_deleted(payload: CertificateDeleted, envelope: Any, uow: ReviewUnitOfWork) -> None:
    found = await uow.items.get(payload.certificate_id)
    progress = await uow.bundles.lock(found.student_id, found.bundle) if found and found.bundle else None
    removed = await uow.items.remove(payload.certificate_id)
    if removed is None:
        return
    if progress is not None and progress.withdraw(str(removed.certificate_id)):
        await uow.bundles.save(progress)
    if removed.status != APPROVED and await uow.credits.holder(removed.student_id) == str(removed.certificate_id):
        await uow.credits.release(removed.student_id, removed.certificate_id)
    ctx = await Context.of(uow)
    for other_id in await uow.items.flagged_with(removed.certificate_id):
        await refresh(uow, ctx, other_id)


async def on_department_changed(payload: DepartmentChanged, envelope: Any, uow: ReviewUnitOfWork) -> None:
    """The registry's copy follows the certificates service; open items of the department get their
    rule texts again (they name the department)."""
    await uow.departments.put(payload)
    uow.context = None
    await reevaluate_dept(uow, payload.code)
