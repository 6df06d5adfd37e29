"""Event handlers: keep notify's small projections and record the mails an event calls for.

Handlers never send: they add ``pending`` rows to the delivery log inside the inbox
transaction, and the sender mails them after commit. A redelivered event is stopped
by the inbox, and even a re-published copy with the same id meets the log's unique key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import (
    CatalogRequestAnswered,
    CertificateConfirmationResent,
    CertificateConfirmed,
    CertificateDeleted,
    CertificateRegistered,
    CertificateSnapshot,
    CertificateStatusChanged,
    CertificateUpdated,
)
from certhub_kit.events.review import ReviewerSeen, TracksUpdated
from certhub_kit.events.rewards import (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    FirstReviewed,
    RewardPaid,
    SecondReviewed,
    TransferReturned,
)
from certhub_kit.inbox import Event, EventHandler, SetHandler
from certhub_kit.versions import advancing

from ..adapters.projections import CertificateFacts
from ..domain.mail import REWARD_FIRST_REVIEWED, REWARD_SECOND_REVIEWED, Mail
from ..domain.overdue import TrackSla
from .composer import MailComposer
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
        certificate_id=certificate.certificate_id, student_id=certificate.student.id,
        student_name=certificate.student.name, email=certificate.student.email, dept=certificate.student.dept,
        entry_name=certificate.entry_name, level_name=certificate.level_name, status=certificate.status,
        version=certificate.version, changed_at=at, expires_on=certificate.expires_on, category=certificate.category,
    )


class NotifyHandlers:
    """One method per consumed event type; ``wake`` tells the sender new mail is waiting."""

    def __init__(self, composer: MailComposer, wake: Callable[[], None]):
        self.composer = composer
        self.wake = wake

    def registry(self) -> dict[str, EventHandler]:
        snapshots = SetHandler(self.certificate_snapshots)
        return {
            **{kind.type_name: snapshots for kind in (CertificateRegistered, CertificateConfirmationResent,
                                                      CertificateConfirmed, CertificateUpdated,
                                                      CertificateStatusChanged)},
            CertificateDeleted.type_name: self.certificate_deleted,
            CatalogRequestAnswered.type_name: self.catalog_request_answered,
            ApplicationSubmitted.type_name: self.application_submitted,
            ApplicationWithdrawn.type_name: self.application_withdrawn,
            FirstReviewed.type_name: self.first_reviewed,
            SecondReviewed.type_name: self.second_reviewed,
            RewardPaid.type_name: self.reward_paid,
            TransferReturned.type_name: self.transfer_returned,
            ReviewerSeen.type_name: self.reviewer_seen,
            TracksUpdated.type_name: self.tracks_updated,
        }

    async def _enqueue(self, uow: NotifyUnitOfWork, envelope: Envelope, mail: Mail | None) -> None:
        if mail is None:
            return
        if await uow.deliveries.enqueue(envelope.id, envelope.type, mail):
            uow.after_commit(self.wake)

    # --- certificates ---------------------------------------------------------
    async def certificate_snapshots(self, events: list[Event], uow: NotifyUnitOfWork) -> None:
        """registered / confirmation resent / confirmed / updated / status changed: every snapshot
        at least as new as what is held is recorded (in one or two statements for the run) and
        mailed about; an older change arriving late is not worth a (misleading) mail."""
        held = await uow.certificates.held_versions([p.certificate.certificate_id for p, _ in events])
        current = advancing(held, events, key=_certificate_id, version=lambda e: e[0].certificate.version, ties=True)
        for facts in _recorded_rounds(current):
            await uow.certificates.record(facts)
        mails = [(envelope.id, envelope.type, mail) for payload, envelope in current
                 if (mail := self._mail_about(payload, envelope)) is not None]
        if await uow.deliveries.enqueue_many(mails):
            uow.after_commit(self.wake)

    def _mail_about(self, event: Any, envelope: Envelope) -> Mail | None:
        status = event.certificate.status
        if isinstance(event, CertificateRegistered) and event.confirmation_url and status == "draft":
            return self.composer.confirmation(event.certificate, event.confirmation_url,
                                              event.confirmation_expires_at, resent=False)
        if isinstance(event, CertificateConfirmationResent) and status == "draft":
            return self.composer.confirmation(event.certificate, event.confirmation_url,
                                              event.confirmation_expires_at, resent=True)
        if isinstance(event, CertificateStatusChanged):
            return self.composer.status_change(event, envelope.time)
        return None

    async def certificate_deleted(self, event: CertificateDeleted, envelope: Envelope,
                                  uow: NotifyUnitOfWork) -> None:
        await uow.certificates.forget(event.certificate_id, event.student_id, envelope.time)

    async def catalog_request_answered(self, event: CatalogRequestAnswered, envelope: Envelope,
                                       uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.catalog_answer(event))

    # --- review ---------------------------------------------------------------
    async def reviewer_seen(self, event: ReviewerSeen, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        """A digest recipient (when the event names a department reviewer with an email)."""
        await uow.reviewers.record(reviewer_id=event.reviewer_id, name=event.name, email=event.email,
                                   depts=event.depts, roles=event.roles, seen_at=event.seen_at)

    async def tracks_updated(self, event: TracksUpdated, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        """Each category's SLA, for the overdue marks in the digests. A late older event may replace
        a newer one; the next save of the tracks sets it right (the same as certificates' use)."""
        await uow.track_sla.replace([TrackSla(category=a.category, dept=a.dept, sla_days=a.sla_days)
                                     for a in event.assignments])

    # --- rewards --------------------------------------------------------------
    async def application_submitted(self, event: ApplicationSubmitted, envelope: Envelope,
                                    uow: NotifyUnitOfWork) -> None:
        await uow.reward_use.hold(event.application_id, event.certificate_ids)

    async def application_withdrawn(self, event: ApplicationWithdrawn, envelope: Envelope,
                                    uow: NotifyUnitOfWork) -> None:
        await uow.reward_use.release(event.application_id)

    async def first_reviewed(self, event: FirstReviewed, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.reward_reviewed(event, REWARD_FIRST_REVIEWED))

    async def second_reviewed(self, event: SecondReviewed, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.reward_reviewed(event, REWARD_SECOND_REVIEWED))

    async def reward_paid(self, event: RewardPaid, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.reward_paid(event))

    async def transfer_returned(self, event: TransferReturned, envelope: Envelope, uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.transfer_returned(event))
