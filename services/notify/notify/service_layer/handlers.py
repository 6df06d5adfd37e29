"""Event handlers: keep notify's small projections and record the mails an event calls for.

Handlers never send: they add ``pending`` rows to the delivery log inside the inbox
transaction, and the sender mails them after commit. A redelivered event is stopped
by the inbox, and even a re-published copy with the same id meets the log's unique key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import (
    CatalogRequestAnswered,
    CertificateConfirmationResent,
    CertificateDeleted,
    CertificateRegistered,
    CertificateSnapshot,
    CertificateStatusChanged,
)
from certhub_kit.events.review import ReviewerSeen, TracksUpdated
from certhub_kit.events.rewards import (
    ApplicationWithdrawn,
    FirstReviewed,
    RewardPaid,
    SecondReviewed,
    TransferReturned,
)
from certhub_kit.inbox import Event
from certhub_kit.versions import advancing

from ..adapters.projections import CertificateFacts
from ..domain.mail import REWARD_FIRST_REVIEWED, REWARD_SECOND_REVIEWED, Mail
from ..domain.overdue import TrackSla
from .dependencies import NotifyDeps
from .unit_of_work import NotifyUnitOfWork


def _certificate_id(event: Event) -> Any:
    return event[0].certificate.certificate_id


def _recorded_rounds(current: list[Event]) -> list[list[CertificateFacts]]:
    """What to record so that each certificate ends at its newest snapshot with ``status_since``
    where one-at-a-time recording would leave it: the time its final status began — and where the
    status changed within the run, the snapshot before that change first (a second round)."""
    chains: dict[Any, list[Event]] = {}
    for event in current:
        chains.setdefault(_certificate_id(event), []).append(event)
    before, final = [], []
    for chain in chains.values():
        status = chain[-1][0].certificate.status
        start = len(chain) - 1
        while start > 0 and chain[start - 1][0].certificate.status == status:
            start -= 1
        if start > 0:
            before.append(facts_of(chain[start - 1][0].certificate, chain[start - 1][1].time))
        final.append(facts_of(chain[-1][0].certificate, chain[start][1].time))
    return [facts for facts in (before, final) if facts]


def facts_of(certificate: CertificateSnapshot, at: datetime) -> CertificateFacts:
    return CertificateFacts(
        certificate_id=certificate.certificate_id,
        student_id=certificate.student.id,
        student_name=certificate.student.name,
        email=certificate.student.email,
        dept=certificate.student.dept,
        entry_name=certificate.entry_name,
        level_name=certificate.level_name,
        status=certificate.status,
        version=certificate.version,
        changed_at=at,
        expires_on=certificate.expires_on,
        category=certificate.category,
    )


async def _enqueue(uow: NotifyUnitOfWork, envelope: Envelope, mail: Mail | None, deps: NotifyDeps) -> None:
    if mail is None:
        return
    if await uow.deliveries.enqueue(envelope.id, envelope.type, mail):
        uow.after_commit(deps.wake.set)


# --- certificates ---------------------------------------------------------
async def certificate_snapshots(events: list[Event], uow: NotifyUnitOfWork, deps: NotifyDeps) -> None:
    """registered / confirmation resent / confirmed / updated / status changed: every snapshot
    at least as new as what is held is recorded (in one or two statements for the run) and
    mailed about; an older change arriving late is not worth a (misleading) mail."""
    held = await uow.certificates.held_versions([p.certificate.certificate_id for p, _ in events])
    current = advancing(held, events, key=_certificate_id, version=lambda e: e[0].certificate.version, ties=True)
    for facts in _recorded_rounds(current):
        await uow.certificates.record(facts)
    mails = [
        (envelope.id, envelope.type, mail)
        for payload, envelope in current
        if (mail := _mail_about(payload, envelope, deps)) is not None
    ]
    if await uow.deliveries.enqueue_many(mails):
        uow.after_commit(deps.wake.set)


def _mail_about(event: Any, envelope: Envelope, deps: NotifyDeps) -> Mail | None:
    status = event.certificate.status
    if isinstance(event, CertificateRegistered) and event.confirmation_url and status == "draft":
        return deps.composer.confirmation(
            event.certificate, event.confirmation_url, event.confirmation_expires_at, resent=False
        )
    if isinstance(event, CertificateConfirmationResent) and status == "draft":
        return deps.composer.confirmation(
            event.certificate, event.confirmation_url, event.confirmation_expires_at, resent=True
        )
    if isinstance(event, CertificateStatusChanged):
        return deps.composer.status_change(event, envelope.time)
    return None


async def certificate_deleted(event: CertificateDeleted, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
    await uow.certificates.forget(event.certificate_id, event.student_id, envelope.time)


async def catalog_request_answered(
    event: CatalogRequestAnswered, envelope: Envelope, uow: NotifyUnitOfWork, deps: NotifyDeps
) -> None:
    await _enqueue(uow, envelope, deps.composer.catalog_answer(event), deps)


# --- review ---------------------------------------------------------------
async def reviewer_seen(event: ReviewerSeen, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
    """A digest recipient (when the event names a department reviewer with an email)."""
    await uow.reviewers.record(
        reviewer_id=event.reviewer_id,
        name=event.name,
        email=event.email,
        depts=event.depts,
        roles=event.roles,
        seen_at=event.seen_at,
    )


async def tracks_updated(event: TracksUpdated, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
    """Each category's SLA, for the overdue marks in the digests. A late older event may replace
    a newer one; the next save of the tracks sets it right (the same as certificates' use)."""
    await uow.track_sla.replace(
        [TrackSla(category=a.category, dept=a.dept, sla_days=a.sla_days) for a in event.assignments]
    )


# --- rewards --------------------------------------------------------------
async def applications_submitted(events: list, uow: NotifyUnitOfWork) -> None:
    """A run of submissions in one statement: each certificate held by the last application of the run
    that names it, as holding them one event at a time leaves it."""
    held: dict = {}
    for event, _envelope in events:
        for certificate_id in event.certificate_ids:
            held[certificate_id] = event.application_id
    await uow.reward_use.hold_each(held)


async def application_withdrawn(event: ApplicationWithdrawn, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
    await uow.reward_use.release(event.application_id)


async def first_reviewed(event: FirstReviewed, envelope: Envelope, uow: NotifyUnitOfWork, deps: NotifyDeps) -> None:
    await _enqueue(uow, envelope, deps.composer.reward_reviewed(event, REWARD_FIRST_REVIEWED), deps)


async def second_reviewed(event: SecondReviewed, envelope: Envelope, uow: NotifyUnitOfWork, deps: NotifyDeps) -> None:
    await _enqueue(uow, envelope, deps.composer.reward_reviewed(event, REWARD_SECOND_REVIEWED), deps)


async def reward_paid(event: RewardPaid, envelope: Envelope, uow: NotifyUnitOfWork, deps: NotifyDeps) -> None:
    await _enqueue(uow, envelope, deps.composer.reward_paid(event), deps)


async def transfer_returned(
    event: TransferReturned, envelope: Envelope, uow: NotifyUnitOfWork, deps: NotifyDeps
) -> None:
    await _enqueue(uow, envelope, deps.composer.transfer_returned(event), deps)
