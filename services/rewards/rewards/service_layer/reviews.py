"""初審 (department reviewer or centre) and 複審 (centre), one by one or in bulk."""

from __future__ import annotations

import uuid

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal
from certhub_kit.errors import DomainError, Forbidden
from certhub_kit.events.rewards import FirstReviewed, SecondReviewed

from ..domain.applications import (
    SECOND_PASSED,
    YES,
    check_review_result,
    check_separate_reviewers,
    first_review_outcome,
    second_review_outcome,
)
from ..domain.rules import check_not_excluded
from .access import visible_application
from .applications import read_application, student_ref
from .context import RewardsContext
from .rules import budget_outcome, rules_for
from .unit_of_work import RewardsUnitOfWork

FIRST, SECOND = "first", "second"


def require_reviewer(principal: Principal, stage: str) -> None:
    if stage == FIRST:
        principal.require(REVIEWER, CENTER, ADMIN)
    else:
        principal.require(CENTER, ADMIN)


async def record_review(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application_id: uuid.UUID,
    stage: str,
    result: str,
    note: str | None,
) -> None:
    require_reviewer(principal, stage)
    application = await visible_application(uow, principal, application_id, lock=True)
    if application.student_id == principal.sub:
        raise Forbidden("不能審查自己的申請", "You cannot review your own application", code="own_application")
    result = check_review_result(result)
    check_separate_reviewers(
        stage == FIRST, principal.sub, application.first_reviewer_id, application.second_reviewer_id
    )
    if stage == FIRST:
        bank = (await uow.applications.bank_accounts_of([application.id])).get(application.id)
        status = first_review_outcome(
            application.status,
            result,
            application.amount,
            bank and bank.method,
            bool(bank and bank.other_acknowledged_at),
        )
        if result == YES:
            check_not_excluded(await rules_for(uow, application.academic_year), application.flags or ())
    else:
        status = second_review_outcome(application.status, result)
        if status == SECOND_PASSED:
            status = await budget_outcome(uow, application)
    now = ctx.now()
    note = (note or "").strip()[:1000] or None
    await uow.applications.change(
        application.id,
        status=status,
        **{
            f"{stage}_result": result,
            f"{stage}_reviewer_id": principal.sub,
            f"{stage}_reviewer_name": principal.name,
            f"{stage}_reviewed_at": now,
            f"{stage}_note": note,
        },
    )
    event = FirstReviewed if stage == FIRST else SecondReviewed
    await uow.emit(
        event(
            application_id=application.id,
            student=student_ref(application),
            academic_year=application.academic_year,
            standard_label=application.label,
            amount=application.amount,
            result=result,
            note=note,
            reviewer_id=principal.sub,
            reviewer_name=principal.name,
            reviewed_at=now,
        ),
        subject=str(application.id),
    )
    await uow.audit(
        f"application.{stage}_reviewed",
        actor_id=principal.sub,
        subject=str(application.id),
        from_state=application.status,
        to_state=status,
        reason=note,
        details={"result": result},
    )


async def review(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application_id: uuid.UUID,
    stage: str,
    result: str,
    note: str | None,
) -> dict:
    await record_review(uow, ctx, principal, application_id, stage, result, note)
    return await read_application(uow, ctx, principal, application_id)


def bulk_result(application_id: uuid.UUID, error: DomainError | None) -> dict:
    """One decision of a bulk review (each in its own transaction): passed, or why not."""
    if error is None:
        return {"application_id": str(application_id), "ok": True}
    return {"application_id": str(application_id), "ok": False, "status": error.status, **error.as_body()}
