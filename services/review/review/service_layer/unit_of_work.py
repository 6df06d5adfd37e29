"""The review unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.uow import UnitOfWork


class ReviewUnitOfWork(UnitOfWork):
    def _init_repositories(self) -> None:
        pass
