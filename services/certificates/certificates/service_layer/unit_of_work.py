"""The certificates unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.uow import UnitOfWork

from ..adapters.catalog_repository import CatalogRepository
from ..adapters.certificate_repository import CertificateRepository
from ..adapters.department_repository import DepartmentRepository
from ..adapters.roster_repository import RosterRepository


class CertificatesUnitOfWork(UnitOfWork):
    catalog: CatalogRepository
    certificates: CertificateRepository
    rosters: RosterRepository
    departments: DepartmentRepository

    def _init_repositories(self) -> None:
        self.catalog = CatalogRepository(self.session)
        self.certificates = CertificateRepository(self.session)
        self.rosters = RosterRepository(self.session)
        self.departments = DepartmentRepository(self.session)
