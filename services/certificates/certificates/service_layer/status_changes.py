"""Status changes decided elsewhere (review) applied here, each with an audit row and an event.

Handlers run inside the inbox's transaction and never commit. Events may arrive late
or twice: a decision older than the one already applied, or one the status machine
does not allow from the current status, is logged and skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from certhub_kit.events.certificates import CertificateStatusChanged
from certhub_kit.events.review import OriginalScanned, ReviewDecided, TracksUpdated

from ..domain import status as machine
from ..domain.certificate import Certificate
from .unit_of_work import CertificatesUnitOfWork
from .views import snapshot

log = structlog.get_logger("certificates.status")


async def change_status(
    uow: CertificatesUnitOfWork,
    cert: Certificate,
    target: str,
    *,
    actor_id: str | None,
    actor_name: str | None = None,
    reason: str | None = None,
    extra: dict | None = None,
    decided: ReviewDecided | None = None,
) -> Certificate:
    await uow.certificates.update(cert.id, {"status": target, **(extra or {})})
    changed = await uow.certificates.get_present(cert.id)
    await uow.audit(
        "certificate.status_changed",
        actor_id=actor_id,
        subject=str(cert.id),
        from_state=cert.status,
        to_state=target,
        reason=reason,
    )
    await uow.emit(
        CertificateStatusChanged(
            certificate=snapshot(changed),
            from_status=cert.status,
            to_status=target,
            reason=reason,
            actor_id=actor_id,
            actor_name=actor_name,
            reason_code=decided and decided.reason_code,
            instruction=decided and decided.instruction,
            instruction_en=decided and decided.instruction_en,
        ),
        subject=str(cert.id),
    )
    return changed


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _content_changed_since(cert: Certificate, version: int | None) -> bool:
    """What was verified changed after the version a decision or an original check was taken on."""
    return version is not None and version < cert.content_version


def _skip(why: str, cert: Certificate | None, **details) -> None:
    log.warning("status_change_skipped", why=why, status=cert.status if cert else None, **details)


async def apply_decision(payload: ReviewDecided, envelope, uow: CertificatesUnitOfWork) -> None:
    if payload.decision not in {s.value for s in machine.DECISIONS}:
        raise ValueError(f"unknown decision {payload.decision!r}")  # a bug upstream: dead-letter it
    cert = await uow.certificates.get(payload.certificate_id, for_update=True)
    if cert is None:
        return _skip("unknown_certificate", None, certificate_id=str(payload.certificate_id))
    if cert.reviewed_at is not None and _aware(payload.decided_at) < cert.reviewed_at:
        return _skip("stale_decision", cert, decision=payload.decision)
    if _content_changed_since(cert, payload.version):
        return _skip("changed_since_decision", cert, decision=payload.decision, version=payload.version)
    if payload.decision == cert.status:
        return None
    if not machine.can_transition(cert.status, payload.decision):
        return _skip("transition_not_allowed", cert, decision=payload.decision)
    await change_status(
        uow,
        cert,
        payload.decision,
        actor_id=payload.reviewer_id,
        actor_name=payload.reviewer_name,
        reason=payload.reason,
        decided=payload,
        extra={
            "reviewer_id": payload.reviewer_id,
            "reviewer_name": payload.reviewer_name,
            "reviewed_at": _aware(payload.decided_at),
            "review_reason": payload.reason,
            "review_reason_code": payload.reason_code,
            "review_instruction": payload.instruction,
            "review_instruction_en": payload.instruction_en,
        },
    )


async def apply_original_scanned(payload: OriginalScanned, envelope, uow: CertificatesUnitOfWork) -> None:
    cert = await uow.certificates.get(payload.certificate_id, for_update=True)
    if cert is None or cert.status != machine.Status.SUBMITTED:
        return _skip("not_submitted", cert, certificate_id=str(payload.certificate_id))
    if _content_changed_since(cert, payload.version):
        return _skip("changed_since_original_check", cert, version=payload.version)
    await change_status(uow, cert, machine.Status.VERIFYING, actor_id=payload.scanned_by)


async def apply_tracks(payload: TracksUpdated, envelope, uow: CertificatesUnitOfWork) -> None:
    """Keeps the local copy of which (category, department) need an email confirmation."""
    as_of: datetime | None = await uow.certificates.tracks_as_of()
    if as_of is not None and _aware(envelope.time) < as_of:
        return _skip("stale_tracks", None)
    rules = {
        (a.category, a.dept or ""): {
            "category": a.category,
            "dept": a.dept or "",
            "track": a.track,
            "confirmation_required": a.confirmation_required,
        }
        for a in payload.assignments
    }
    await uow.certificates.replace_track_rules(list(rules.values()), _aware(envelope.time))
