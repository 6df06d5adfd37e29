"""Reward rules per academic year: set by the admin, previewed, and applied to applications
(cap at apply, exclusions at apply and 初審, the budget's waiting list at 複審)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal

from ..domain.applications import (
    CLAIMING,
    COMMITTED,
    SECOND_PASSED,
    WAITING,
    Application,
    check_student_may_change,
)
from ..domain.rules import FLAGS, RANKINGS, YearRules, check_flags, fits, preview, promotable, rules_from_form
from .access import visible_application
from .unit_of_work import RewardsUnitOfWork


async def rules_for(uow: RewardsUnitOfWork, year: int) -> YearRules:
    return await uow.rules.get(year) or YearRules(year)


def rules_view(rules: YearRules) -> dict:
    return {
        **asdict(rules),
        "exclusions": list(rules.exclusions),
        "flags": [{"flag": f, "label": zh, "label_en": en} for f, (zh, en) in FLAGS.items()],
        "rankings": [{"ranking": r, "label": zh, "label_en": en} for r, (zh, en) in RANKINGS.items()],
    }


async def read_rules(uow: RewardsUnitOfWork, principal: Principal, year: int) -> dict:
    principal.require(ADMIN, CENTER)
    return rules_view(await rules_for(uow, year))


async def put_rules(uow: RewardsUnitOfWork, principal: Principal, year: int, form: dict) -> dict:
    principal.require(ADMIN)
    rules = rules_from_form(year, **form)
    previous = await uow.rules.get(year)
    await uow.rules.lock_year(year)
    await uow.rules.put(rules, principal.sub)
    await uow.audit(
        "rules.set",
        actor_id=principal.sub,
        subject=str(year),
        details={
            "rules": rules_view(rules) | {"flags": None, "rankings": None},
            "previous": asdict(previous) if previous else None,
        },
    )
    promoted = await promote_waiting(uow, rules, principal.sub)
    return {**rules_view(rules), "promoted": promoted}


async def preview_rules(uow: RewardsUnitOfWork, principal: Principal, year: int, overrides: dict) -> dict:
    """What-if of the stored rules, or of the form's values before saving them."""
    principal.require(ADMIN, CENTER)
    rules = await rules_for(uow, year)
    if overrides:
        current = {k: getattr(rules, k) for k in ("cap_per_student", "budget", "exclusions", "ranking", "return_fee")}
        rules = rules_from_form(year, **(current | overrides))
    result = preview(rules, await uow.rules.claims(year, CLAIMING, COMMITTED))
    return {"academic_year": year, "rules": rules_view(rules), **asdict(result)}


async def budget_outcome(uow: RewardsUnitOfWork, application: Application) -> str:
    """A passed 複審 is payable while the year's budget lasts, else it waits (候補)."""
    rules = await rules_for(uow, application.academic_year)
    if rules.budget is None:
        return SECOND_PASSED
    await uow.rules.lock_year(application.academic_year)
    committed = sum(c.amount for c in await uow.rules.claims(application.academic_year, COMMITTED, COMMITTED))
    return SECOND_PASSED if fits(rules.budget, committed, application.amount) else WAITING


async def promote_waiting(uow: RewardsUnitOfWork, rules: YearRules, actor: str) -> list[str]:
    """Budget freed or raised: waiting applications become payable in rank order."""
    await uow.rules.lock_year(rules.academic_year)
    claims = await uow.rules.claims(rules.academic_year, COMMITTED | {WAITING}, COMMITTED)
    committed = sum(c.amount for c in claims if c.committed)
    chosen = promotable(rules.budget, committed, [c for c in claims if not c.committed], rules.ranking)
    for claim in chosen:
        await uow.applications.change(claim.id, status=SECOND_PASSED)
        await uow.audit(
            "application.budget_freed",
            actor_id=actor,
            subject=str(claim.id),
            from_state=WAITING,
            to_state=SECOND_PASSED,
            details={"ranking": rules.ranking},
        )
    return [str(c.id) for c in chosen]


async def promote_year(uow: RewardsUnitOfWork, year: int, actor: str) -> list[str]:
    return await promote_waiting(uow, await rules_for(uow, year), actor)


async def set_flags(uow: RewardsUnitOfWork, principal: Principal, application_id, flags: Sequence[str]) -> None:
    """A reviewer of the department (or the centre) marks what the student may not have declared, e.g. that
    the certificate is used for the graduation threshold; the owner may change them while editable."""
    application = await visible_application(uow, principal, application_id, lock=True)
    if principal.sub == application.student_id:
        check_student_may_change(application.status, application.first_result)
    else:
        principal.require(REVIEWER, CENTER, ADMIN)
    chosen = check_flags(flags)
    await uow.applications.change(application.id, flags=chosen)
    await uow.audit(
        "application.flags_set",
        actor_id=principal.sub,
        subject=str(application.id),
        details={"flags": chosen, "previous": list(application.flags or ())},
    )
