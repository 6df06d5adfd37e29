"""The review unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from typing import Any

from certhub_kit.department_copy import DepartmentCopy
from certhub_kit.uow import UnitOfWork

from ..adapters.config import RuleConfigRepository, TrackRepository
from ..adapters.items import ItemRepository
from ..adapters.orm import departments
from ..adapters.progress import BundleRepository, CreditRepository
from ..adapters.reasons import ReasonRepository
from ..adapters.reviewers import ReviewerRepository
from ..adapters.thresholds import ThresholdRepository


class ReviewUnitOfWork(UnitOfWork):
    items: ItemRepository
    tracks: TrackRepository
    rules: RuleConfigRepository
    bundles: BundleRepository
    credits: CreditRepository
    reviewers: ReviewerRepository
    reasons: ReasonRepository
    thresholds: ThresholdRepository
    departments: DepartmentCopy
    context: Any

    def _init_repositories(self) -> None:
        self.items = ItemRepository(self.session)
        self.tracks = TrackRepository(self.session)
        self.rules = RuleConfigRepository(self.session)
        self.bundles = BundleRepository(self.session)
        self.credits = CreditRepository(self.session)
        self.reviewers = ReviewerRepository(self.session)
        self.reasons = ReasonRepository(self.session)
        self.thresholds = ThresholdRepository(self.session)
        self.departments = DepartmentCopy(self.session, departments)
        self.context = None  # evaluation.Context, loaded once per transaction (Context.of)
