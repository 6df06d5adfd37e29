"""The rewards unit of work: one transaction with its repositories, outbox and audit."""

from __future__ import annotations

from certhub_kit.department_copy import DepartmentCopy
from certhub_kit.uow import UnitOfWork

from ..adapters.applications_repository import ApplicationsRepository
from ..adapters.eligibility_repository import EligibilityRepository
from ..adapters.orm import departments
from ..adapters.payouts_repository import PayoutsRepository
from ..adapters.rules_repository import RulesRepository
from ..adapters.standards_repository import StandardsRepository, WindowsRepository


class RewardsUnitOfWork(UnitOfWork):
    standards: StandardsRepository
    windows: WindowsRepository
    certificates: EligibilityRepository
    applications: ApplicationsRepository
    payouts: PayoutsRepository
    rules: RulesRepository
    departments: DepartmentCopy

    def _init_repositories(self) -> None:
        self.standards = StandardsRepository(self.session)
        self.windows = WindowsRepository(self.session)
        self.certificates = EligibilityRepository(self.session)
        self.applications = ApplicationsRepository(self.session)
        self.payouts = PayoutsRepository(self.session)
        self.rules = RulesRepository(self.session)
        self.departments = DepartmentCopy(self.session, departments)
