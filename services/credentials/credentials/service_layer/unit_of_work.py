"""The credentials unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.uow import UnitOfWork

from ..adapters.repository import CredentialRepository, FactRepository, KeyStore


class CredentialsUnitOfWork(UnitOfWork):
    credentials: CredentialRepository
    facts: FactRepository
    keys: KeyStore

    def _init_repositories(self) -> None:
        self.credentials = CredentialRepository(self.session)
        self.facts = FactRepository(self.session)
        self.keys = KeyStore(self.session)
