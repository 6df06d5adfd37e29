"""The notify unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from collections.abc import Callable

from certhub_kit.uow import UnitOfWork

from ..adapters.delivery_log import DeliveryLog, Mailbox
from ..adapters.projections import CertificateBook, RewardUse, TrackSlaBook
from ..adapters.reviewers import ReviewerBook


class NotifyUnitOfWork(UnitOfWork):
    deliveries: DeliveryLog
    certificates: CertificateBook
    reward_use: RewardUse
    mailbox: Mailbox
    reviewers: ReviewerBook
    track_sla: TrackSlaBook

    def _init_repositories(self) -> None:
        self.deliveries = DeliveryLog(self.session)
        self.certificates = CertificateBook(self.session)
        self.reward_use = RewardUse(self.session)
        self.mailbox = Mailbox(self.session)
        self.reviewers = ReviewerBook(self.session)
        self.track_sla = TrackSlaBook(self.session)
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this transaction has committed (e.g. wake the mail sender)."""
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    async def commit(self) -> None:
        await super().commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()
