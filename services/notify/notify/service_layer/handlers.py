"""Event handlers: keep notify's small projections and record the mails an event calls for.

Handlers never send: they add ``pending`` rows to the delivery log inside the inbox
transaction, and the sender mails them after commit. A redelivered event is stopped
by the inbox, and even a re-published copy with the same id meets the log's unique key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import (
    CatalogRequestAnswered, CertificateConfirmationResent, CertificateConfirmed, CertificateDeleted,
    CertificateRegistered, CertificateSnapshot, CertificateStatusChanged, CertificateUpdated,
)
from certhub_kit.events.rewards import (
    ApplicationSubmitted, ApplicationWithdrawn, FirstReviewed, RewardPaid, SecondReviewed,
)
from certhub_kit.inbox import EventHandler

from ..adapters.projections import CertificateFacts
from ..domain.mail import REWARD_FIRST_REVIEWED, REWARD_SECOND_REVIEWED, Mail
from .composer import MailComposer
from .unit_of_work import NotifyUnitOfWork


def facts_of(certificate: CertificateSnapshot, at: datetime) -> CertificateFacts:
    return CertificateFacts(
        certificate_id=certificate.certificate_id, student_id=certificate.student.id,
        student_name=certificate.student.name, email=certificate.student.email, dept=certificate.student.dept,
        entry_name=certificate.entry_name, level_name=certificate.level_name, status=certificate.status,
        version=certificate.version, changed_at=at,
    )


class NotifyHandlers:
    """One method per consumed event type; ``wake`` tells the sender new mail is waiting."""

    def __init__(self, composer: MailComposer, wake: Callable[[], None]):
        self.composer = composer
        self.wake = wake

    def registry(self) -> dict[str, EventHandler]:
        return {
            CertificateRegistered.type_name: self.certificate_registered,
            CertificateConfirmationResent.type_name: self.confirmation_resent,
            CertificateConfirmed.type_name: self.certificate_snapshot,
            CertificateUpdated.type_name: self.certificate_snapshot,
            CertificateStatusChanged.type_name: self.status_changed,
            CertificateDeleted.type_name: self.certificate_deleted,
            CatalogRequestAnswered.type_name: self.catalog_request_answered,
            ApplicationSubmitted.type_name: self.application_submitted,
            ApplicationWithdrawn.type_name: self.application_withdrawn,
            FirstReviewed.type_name: self.first_reviewed,
            SecondReviewed.type_name: self.second_reviewed,
            RewardPaid.type_name: self.reward_paid,
        }

    async def _enqueue(self, uow: NotifyUnitOfWork, envelope: Envelope, mail: Mail | None) -> None:
        if mail is None:
            return
        if await uow.deliveries.enqueue(envelope.id, envelope.type, mail):
            uow.after_commit(self.wake)

    # --- certificates ---------------------------------------------------------
    async def certificate_registered(self, event: CertificateRegistered, envelope: Envelope,
                                     uow: NotifyUnitOfWork) -> None:
        current = await uow.certificates.record(facts_of(event.certificate, envelope.time))
        if current and event.confirmation_url and event.certificate.status == "draft":
            await self._enqueue(uow, envelope, self.composer.confirmation(
                event.certificate, event.confirmation_url, event.confirmation_expires_at, resent=False))

    async def confirmation_resent(self, event: CertificateConfirmationResent, envelope: Envelope,
                                  uow: NotifyUnitOfWork) -> None:
        current = await uow.certificates.record(facts_of(event.certificate, envelope.time))
        if current and event.certificate.status == "draft":
            await self._enqueue(uow, envelope, self.composer.confirmation(
                event.certificate, event.confirmation_url, event.confirmation_expires_at, resent=True))

    async def certificate_snapshot(self, event: CertificateConfirmed | CertificateUpdated, envelope: Envelope,
                                   uow: NotifyUnitOfWork) -> None:
        await uow.certificates.record(facts_of(event.certificate, envelope.time))

    async def status_changed(self, event: CertificateStatusChanged, envelope: Envelope,
                             uow: NotifyUnitOfWork) -> None:
        current = await uow.certificates.record(facts_of(event.certificate, envelope.time))
        if current:  # an older change arriving late is not worth a (misleading) mail
            await self._enqueue(uow, envelope, self.composer.status_change(event, envelope.time))

    async def certificate_deleted(self, event: CertificateDeleted, envelope: Envelope,
                                  uow: NotifyUnitOfWork) -> None:
        await uow.certificates.forget(event.certificate_id, event.student_id, envelope.time)

    async def catalog_request_answered(self, event: CatalogRequestAnswered, envelope: Envelope,
                                       uow: NotifyUnitOfWork) -> None:
        await self._enqueue(uow, envelope, self.composer.catalog_answer(event))

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
