"""Which certificates a student may use, kept from the certificates service's events.

Snapshots carry ``version``; an older or repeated one changes nothing. A certificate
that is deleted, or leaves approved/recorded/credit_pending, makes every unpaid
application using it visibly ``invalid`` (status and reason), never silently paid.
"""

from __future__ import annotations

import uuid

import structlog

from certhub_kit.auth import STUDENT, Principal
from certhub_kit.events.certificates import CertificateDeleted, CertificateSnapshot
from certhub_kit.inbox import Event
from certhub_kit.versions import advancing, latest

from ..domain.applications import (
    COMMITTED,
    ELIGIBLE_CERTIFICATE_STATUSES,
    INVALID,
    INVALIDATABLE,
    invalidation_reason,
)
from .context import RewardsContext
from .rules import promote_year
from .unit_of_work import RewardsUnitOfWork

log = structlog.get_logger("rewards.eligibility")


async def on_status_changes(events: list[Event], uow: RewardsUnitOfWork) -> None:
    """Stores the newest of each certificate's snapshots in one statement; every snapshot that was
    newer than what came before it and left the usable statuses invalidates what uses it."""
    snapshots = [payload.certificate for payload, _ in events]
    held = await uow.certificates.held_versions([s.certificate_id for s in snapshots])
    newer = advancing(held, snapshots, key=lambda s: s.certificate_id, version=lambda s: s.version)
    ignored = len(snapshots) - len(newer)
    if ignored:  # deleted, or we hold the same or a newer version
        log.info("certificate_snapshots_ignored", count=ignored)
    await uow.certificates.save_many([_projected(s) for s in latest(newer, key=lambda s: s.certificate_id)])
    for snapshot in newer:
        if snapshot.status not in ELIGIBLE_CERTIFICATE_STATUSES:
            await _invalidate(
                uow, snapshot.certificate_id, snapshot.entry_name, deleted=False, to_status=snapshot.status
            )


def _projected(snapshot: CertificateSnapshot) -> dict:
    return dict(
        certificate_id=snapshot.certificate_id,
        student_id=snapshot.student.id,
        student_name=snapshot.student.name,
        dept=snapshot.student.dept,
        entry_key=snapshot.entry_key,
        entry_name=snapshot.entry_name,
        level_name=snapshot.level_name,
        status=snapshot.status,
        version=snapshot.version,
        expires_on=snapshot.expires_on,
    )


async def on_deleted(payload: CertificateDeleted, envelope, uow: RewardsUnitOfWork) -> None:
    current = await uow.certificates.lock(payload.certificate_id)
    await uow.certificates.mark_deleted(payload.certificate_id, payload.student_id)
    name = (current.entry_name if current is not None else None) or str(payload.certificate_id)
    await _invalidate(uow, payload.certificate_id, name, deleted=True, to_status=None)


async def _invalidate(
    uow: RewardsUnitOfWork, certificate_id: uuid.UUID, entry_name: str, *, deleted: bool, to_status: str | None
) -> None:
    application = await uow.applications.using_certificate(certificate_id)
    if application is None or application.status not in INVALIDATABLE:
        return
    reason, reason_en = invalidation_reason(entry_name, deleted, to_status)
    await uow.applications.change(application.id, status=INVALID, invalid_reason=reason, invalid_reason_en=reason_en)
    await uow.audit(
        "application.invalidated",
        actor_id=None,
        subject=str(application.id),
        from_state=application.status,
        to_state=INVALID,
        reason=reason_en,
        details={"certificate_id": str(certificate_id)},
    )
    log.warning("application_invalidated", application_id=str(application.id), certificate_id=str(certificate_id))
    if application.status in COMMITTED:  # its share of the budget is free: the waiting list moves up
        await promote_year(uow, application.academic_year, "system")


async def eligible_standards(uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal) -> list[dict]:
    """Standards of the current academic year the student's unused certificates satisfy."""
    principal.require(STUDENT)
    year = ctx.academic_year()
    scopes = ["school", *([principal.dept] if principal.dept else [])]
    today = ctx.today()
    candidates = [
        c
        for c in await uow.certificates.candidates(principal.sub)
        if c.eligible and not c.used and not c.expired(today)
    ]
    suggestions = []
    for standard in await uow.standards.list(year, scopes):
        matching = [c for c in candidates if standard.accepts(c.entry_key, c.level_name)]
        if len(matching) >= standard.required_count:
            suggestions.append(
                {
                    "standard": {
                        "id": str(standard.id),
                        "label": standard.label,
                        "amount": standard.amount,
                        "required_count": standard.required_count,
                        "level": standard.level,
                    },
                    "certificates": [
                        {
                            "certificate_id": str(c.certificate_id),
                            "entry_name": c.entry_name,
                            "level_name": c.level_name,
                        }
                        for c in matching
                    ],
                }
            )
    return suggestions
