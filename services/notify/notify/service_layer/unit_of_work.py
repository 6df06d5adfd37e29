"""The notify unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.department_copy import DepartmentCopy
from certhub_kit.uow import UnitOfWork

from ..adapters.delivery_log import DeliveryLog, Mailbox
from ..adapters.orm import departments
from ..adapters.projections import CertificateBook, RewardUse, TrackSlaBook
from ..adapters.reviewers import ReviewerBook


class NotifyUnitOfWork(UnitOfWork):
    deliveries: DeliveryLog
    certificates: CertificateBook
    reward_use: RewardUse
    mailbox: Mailbox
    reviewers: ReviewerBook
    track_sla: TrackSlaBook
    departments: DepartmentCopy

    def _init_repositories(self) -> None:
        self.deliveries = DeliveryLog(self.session)
        self.certificates = CertificateBook(self.session)
        self.reward_use = RewardUse(self.session)
        self.mailbox = Mailbox(self.session)
        self.reviewers = ReviewerBook(self.session)
        self.track_sla = TrackSlaBook(self.session)
        self.departments = DepartmentCopy(self.session, departments)
