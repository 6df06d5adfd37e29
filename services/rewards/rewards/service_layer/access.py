"""Who may see or change an application (docs/product.md, "Quality bars": the authorisation matrix)."""

from __future__ import annotations

import uuid

from certhub_kit.auth import CENTER, Principal
from certhub_kit.errors import Forbidden, not_found
from certhub_kit.visibility import RecordKind, ensure_visible

from ..adapters.applications_repository import ApplicationFilter
from ..domain.applications import Application
from .unit_of_work import RewardsUnitOfWork

APPLICATION = RecordKind(
    "獎勵申請", "Application", "此申請不屬於您負責的系所", "This application belongs to a department you do not review"
)


def sees_bank_data(principal: Principal) -> bool:
    """Full account numbers and passbook covers reach the centre (role ``center``) only — never admins,
    whom ``Principal.is_center`` also counts, nor department reviewers (services/rewards/README.md)."""
    return principal.has(CENTER)


def require_bank_data(principal: Principal) -> None:
    if not sees_bank_data(principal):
        raise Forbidden(
            "完整帳號與存摺封面僅職輔組（撥款承辦）可查看",
            "Full account numbers and passbook covers are for the centre (payouts) only",
            code="bank_data_center_only",
        )


def missing_application():
    return not_found("獎勵申請", "Application")


async def visible_application(
    uow: RewardsUnitOfWork, principal: Principal, application_id: uuid.UUID, *, lock: bool = False
) -> Application:
    """The kit's record-visibility rule: students reach their own (others: the concealed 404),
    reviewers their departments (403), the centre all."""
    application = await uow.applications.get(application_id, lock=lock)
    if application is None:
        raise missing_application()
    ensure_visible(principal, owner=application.student_id, dept=application.dept, kind=APPLICATION)
    return application


async def owned_application(uow: RewardsUnitOfWork, principal: Principal, application_id: uuid.UUID) -> Application:
    application = await visible_application(uow, principal, application_id, lock=True)
    if application.student_id != principal.sub:
        raise Forbidden(
            "只有申請人本人可以修改此申請", "Only the applicant may change this application", code="not_owner"
        )
    return application


def scoped_filter(principal: Principal, f: ApplicationFilter) -> ApplicationFilter:
    """Narrows a history query to what the principal may see."""
    if principal.is_center:
        return f
    if principal.has("reviewer"):
        if f.dept and f.dept not in principal.depts:
            raise Forbidden(
                "您只能查詢負責系所的申請", "You may query only the departments you review", code="other_department"
            )
        f.only_depts = tuple(principal.depts)
        return f
    f.only_student = principal.sub
    return f
