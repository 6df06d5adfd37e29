"""The review unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.uow import UnitOfWork

from ..adapters.config import RuleConfigRepository, TrackRepository
from ..adapters.items import ItemRepository
from ..adapters.progress import BundleRepository, CreditRepository


class ReviewUnitOfWork(UnitOfWork):
    items: ItemRepository
    tracks: TrackRepository
    rules: RuleConfigRepository
    bundles: BundleRepository
    credits: CreditRepository

    def _init_repositories(self) -> None:
        self.items = ItemRepository(self.session)
        self.tracks = TrackRepository(self.session)
        self.rules = RuleConfigRepository(self.session)
        self.bundles = BundleRepository(self.session)
        self.credits = CreditRepository(self.session)
