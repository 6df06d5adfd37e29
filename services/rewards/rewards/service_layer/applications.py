"""Students' reward applications: apply, replace certificates, withdraw, read and query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog

from certhub_kit.auth import STUDENT, Principal
from certhub_kit.departments import division_name, programme_name
from certhub_kit.errors import Invalid
from certhub_kit.events.certificates import StudentRef
from certhub_kit.events.rewards import ApplicationSubmitted, ApplicationWithdrawn
from certhub_kit.pagination import Page, decode_cursor, next_page

from ..adapters.applications_repository import ApplicationFilter
from ..domain.applications import (
    CLAIMING,
    SUBMITTED,
    Application,
    check_student_may_change,
    choose_certificates,
)
from ..domain.banking import OTHER
from ..domain.calendar import default_window
from ..domain.rules import YearRules, capped_amount, check_flags, check_not_excluded
from ..domain.standards import RewardStandard
from .access import owned_application, scoped_filter, sees_bank_data, visible_application
from .context import PASSBOOKS, RewardsContext
from .unit_of_work import RewardsUnitOfWork
from .views import application_view
from .windows import current_window, ensure_open, require_open_window

log = structlog.get_logger("rewards.applications")
MAX_LIMIT = 200


def student_ref(application: Application) -> StudentRef:
    return StudentRef(
        id=application.student_id,
        name=application.student_name,
        email=application.student_email,
        dept=application.dept,
        division=application.division,
        program=application.program,
        class_=application.class_,
    )


def _checked_standard(principal: Principal, standard: RewardStandard | None, year: int) -> RewardStandard:
    if standard is None or standard.academic_year != year or not standard.applies_to(principal.dept):
        raise Invalid(
            "找不到可申請的獎勵標準（須為本學年全校或本系所的標準）",
            "No such standard open to you this academic year (school-wide or your department's)",
            code="unknown_standard",
        )
    return standard


async def apply(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    standard_id: uuid.UUID,
    certificate_ids: list[uuid.UUID],
    flags: Sequence[str] | None = None,
) -> dict:
    """The year's rules apply: excluded flags are refused, the amount is reduced to what the cap leaves."""
    principal.require(STUDENT)
    year = ctx.academic_year()
    # two applications of one student at once cannot both take the cap's remainder: the first read takes
    # the student's lock for the year (other students' go on), the candidates and the claimed sum follow it
    stored_window, stored, stored_rules = await uow.standards.for_application(year, standard_id, principal.sub)
    await ensure_open(uow, ctx, stored_window or default_window(year))
    standard = _checked_standard(principal, stored, year)
    candidates, claimed = await uow.certificates.candidates_and_claimed(principal.sub, year, CLAIMING)
    chosen = choose_certificates(standard, principal.sub, certificate_ids, candidates, today=ctx.today())
    flags = check_flags(flags or ())
    rules = stored_rules or YearRules(year)
    check_not_excluded(rules, flags)
    amount = capped_amount(rules, standard.amount, claimed)
    application_id = uuid.uuid4()
    application, used = await uow.applications.add_using(
        dict(
            id=application_id,
            academic_year=year,
            student_id=principal.sub,
            student_name=principal.name,
            student_email=principal.email,
            dept=principal.dept,
            division=principal.division,
            program=principal.program,
            class_=principal.klass,
            standard_id=standard.id,
            label=standard.label,
            amount=amount,
            standard_amount=standard.amount,
            flags=flags,
            level=standard.level,
            status=SUBMITTED,
        ),
        chosen,
    )
    await _submitted(uow, application, [c.certificate_id for c in chosen], "application.submitted", None)
    view = application_view(application, used, None, principal, True)  # what is about to be committed: no bank
    log.info("application_submitted", application_id=str(application_id), standard=standard.label)
    return view


async def _submitted(
    uow: RewardsUnitOfWork, application: Application, certificate_ids: list, action: str, from_state: str | None
) -> None:
    await uow.emit(
        ApplicationSubmitted(
            application_id=application.id,
            student=student_ref(application),
            academic_year=application.academic_year,
            standard_label=application.label,
            amount=application.amount,
            certificate_ids=certificate_ids,
        ),
        subject=str(application.id),
    )
    await uow.audit(
        action,
        actor_id=application.student_id,
        subject=str(application.id),
        from_state=from_state,
        to_state=SUBMITTED,
        details={"certificate_ids": [str(c) for c in certificate_ids]},
    )


async def replace_certificates(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application_id: uuid.UUID,
    certificate_ids: list[uuid.UUID] | None,
) -> dict:
    """Edit = replace the certificates (or keep them) and resubmit for the first review."""
    application = await owned_application(uow, principal, application_id)
    await require_open_window(uow, ctx)
    check_student_may_change(application.status, application.first_result)
    if certificate_ids is None:
        kept = await uow.applications.certificates_of([application.id])
        certificate_ids = [uuid.UUID(c["certificate_id"]) for c in kept[application.id]]
    standard = await uow.standards.get(application.standard_id)
    assert standard is not None, "a standard in use is never deleted (standard_in_use)"
    await uow.applications.release_certificates(application.id)
    chosen = choose_certificates(
        standard, principal.sub, certificate_ids, await uow.certificates.candidates(principal.sub), today=ctx.today()
    )
    await uow.applications.use_certificates(application.id, chosen)
    await uow.applications.change(
        application.id,
        status=SUBMITTED,
        invalid_reason=None,
        invalid_reason_en=None,
        first_result=None,
        first_reviewer_id=None,
        first_reviewer_name=None,
        first_reviewed_at=None,
        first_note=None,
    )
    await _submitted(
        uow, application, [c.certificate_id for c in chosen], "application.resubmitted", application.status
    )
    return await read_application(uow, ctx, principal, application.id)


async def withdraw(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_id: uuid.UUID
) -> None:
    """Delete frees the certificates for another application."""
    application = await owned_application(uow, principal, application_id)
    await require_open_window(uow, ctx)
    check_student_may_change(application.status, application.first_result)
    used = await uow.applications.certificates_of([application.id])
    certificate_ids = [uuid.UUID(c["certificate_id"]) for c in used[application.id]]
    bank = (await uow.applications.bank_accounts_of([application.id])).get(application.id)
    await uow.applications.delete(application.id)
    await uow.emit(
        ApplicationWithdrawn(
            application_id=application.id, student=student_ref(application), certificate_ids=certificate_ids
        ),
        subject=str(application.id),
    )
    await uow.audit(
        "application.withdrawn",
        actor_id=principal.sub,
        subject=str(application.id),
        from_state=application.status,
        to_state="withdrawn",
        details={"label": application.label},
    )
    if bank is not None and bank.passbook_key and ctx.storage is not None:
        uow.after_commit(lambda: ctx.files.delete(PASSBOOKS, bank.passbook_key))


async def views_of(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, found: list[Application]
) -> list[dict]:
    ids = [a.id for a in found]
    certificates = await uow.applications.certificates_of(ids)
    banks = await uow.applications.bank_accounts_of(ids)
    window = await current_window(uow, ctx)
    is_open = window.is_open(ctx.now())
    return [
        application_view(
            a, certificates[a.id], banks.get(a.id), principal, is_open and a.academic_year == window.academic_year
        )
        for a in found
    ]


async def read_application(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application_id: uuid.UUID,
    *,
    with_reason: bool = False,
) -> dict:
    """``with_reason``: the centre also gets the sealed reason of an "other" payment, to acknowledge it."""
    application = await visible_application(uow, principal, application_id)
    view = (await views_of(uow, ctx, principal, [application]))[0]
    if with_reason and sees_bank_data(principal) and (view["bank_account"] or {}).get("method") == OTHER:
        view["bank_account"]["other_reason"] = await _other_reason(uow, ctx, principal, application.id)
    return view


async def _other_reason(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_id: uuid.UUID
) -> str | None:
    bank = (await uow.applications.bank_accounts_of([application_id]))[application_id]
    try:
        reason = ctx.cipher.open(application_id, bank.sealed).get("other_reason")
    except ValueError:  # sealed with another key: the student is asked again
        return None
    await uow.audit(
        "bank_account.read", actor_id=principal.sub, subject=str(application_id), details={"purpose": "other_reason"}
    )
    return reason


async def search(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    f: ApplicationFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[dict]:
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor, int)
    found, next_cursor = next_page(
        await uow.applications.search(
            scoped_filter(principal, f), limit=limit + 1, after_seq=after[0] if after else None
        ),
        limit,
        lambda a: (a.seq,),
    )
    return Page[dict](items=await views_of(uow, ctx, principal, found), next_cursor=next_cursor)


async def export_views(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, f: ApplicationFilter, cap: int = 20_000
) -> list[dict]:
    found = await uow.applications.search(scoped_filter(principal, f), limit=cap, after_seq=None)
    views = await views_of(uow, ctx, principal, found)
    names = await uow.departments.names()
    for view in views:  # exports name the department, division and programme in words
        view["dept_name"] = names.zh(view["dept"])
        view["division_name"] = division_name(view["division"])
        view["program_name"] = programme_name(view["program"])
    await uow.audit("applications.exported", actor_id=principal.sub, details={"rows": len(views)})
    return views
