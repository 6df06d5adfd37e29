"""Use case: a reviewer or the centre decides on one certificate (bundles and credit waiver included)."""

from __future__ import annotations

import uuid

from certhub_kit.auth import Principal
from certhub_kit.errors import not_found

from ..domain.bundles import BundleProgress
from ..domain.credit import pass_outcome
from ..domain.decisions import Step, ensure_unchanged, step_for
from ..domain.item import ReviewItem
from ..domain.reasons import reason_text
from ..domain.statuses import APPROVED, CREDIT_PENDING, PASSING, RECORDED, REJECTED, REREVIEW
from ..domain.tracks import Track
from .access import require_dept, require_staff
from .decisions import Actor, DecisionResult, record_decision
from .evaluation import Context, bundle_members, evaluate_item
from .reasons import chosen_reason
from .unit_of_work import ReviewUnitOfWork


async def decide(
    uow: ReviewUnitOfWork,
    who: Principal,
    certificate_id: uuid.UUID,
    decision: str,
    reason: str | None,
    version: int,
    reason_code: str | None = None,
) -> DecisionResult:
    """Does not commit: the caller (HTTP single or bulk) owns the transaction. ``version``: the one the
    reviewer saw."""
    require_staff(who)
    found = await uow.items.get(certificate_id)
    if found is None:
        raise not_found("此證照的審核資料", "Review item")
    require_dept(who, found.dept)
    ctx = await Context.load(uow)
    track = ctx.track_of(found)
    size = track.bundle_size(found.bundle)
    # Lock order everywhere: the (student, bundle) progress row first, then item rows.
    progress = await bundle_members(uow, found, lock=True) if size else None
    item = await uow.items.get(certificate_id, for_update=True)
    if item is None:
        raise not_found("此證照的審核資料", "Review item")
    ensure_unchanged(item, version)
    chosen = await chosen_reason(uow, reason_code)
    reason = reason_text(chosen, (reason or "").strip() or None)
    step = step_for(item, track, decision, reason, by_center=who.is_center, reason_code=reason_code)
    actor = Actor(who.sub, who.name, who.is_center)
    if step is Step.PASS:
        return await _pass(uow, ctx, item, track, progress, size, decision, reason, actor)
    if step is Step.REJECT:
        if progress is not None and progress.withdraw(str(item.certificate_id)):
            await uow.bundles.save(progress)
        outcome, action = REJECTED, "review.decided"
    elif step is Step.REREVIEW:
        outcome, action = REREVIEW, "review.decided"
    else:
        outcome, action = APPROVED, "review.credit_recorded"
    await record_decision(
        uow,
        item,
        outcome,
        reason,
        actor,
        action=action,
        chosen=chosen,
        details={"requested": decision, "reason_code": reason_code},
    )
    return DecisionResult(str(item.certificate_id), decision, outcome, reason)


async def _pass(
    uow: ReviewUnitOfWork,
    ctx: Context,
    item: ReviewItem,
    track: Track,
    progress: BundleProgress | None,
    size: int | None,
    decision: str,
    reason: str | None,
    actor: Actor,
) -> DecisionResult:
    mine = str(item.certificate_id)
    failed = item.failed_rules()
    if failed:
        await uow.audit(
            "review.rule_overridden",
            actor_id=actor.id,
            subject=mine,
            from_state=item.status,
            reason=reason,
            details={"rules": failed},
        )
    if progress is None or size is None:
        outcome = await _final_outcome(uow, ctx, item)
        await record_decision(uow, item, outcome, reason, actor, details={"requested": decision, "overridden": failed})
        return DecisionResult(mine, decision, outcome, reason)
    released = progress.pass_member(mine, size)
    await uow.bundles.save(progress)
    if not released:
        return await _wait_for_bundle(uow, ctx, item, progress, size, decision, reason, actor)
    result = DecisionResult(mine, decision, APPROVED, reason)
    for member_id in released:
        member = item if member_id == mine else await uow.items.get(uuid.UUID(member_id), for_update=True)
        if member is None or not _waiting(member, is_self=member is item):
            continue
        outcome = await _final_outcome(uow, ctx, member)
        why = (
            reason
            if member is item
            else (
                f"{item.bundle} 套組已達 {size} 張通過，一併通過"
                f"（{item.bundle} bundle complete: {size} passing entries）"
            )
        )
        await record_decision(
            uow,
            member,
            outcome,
            why,
            actor,
            details={"requested": decision, "bundle": item.bundle, "released_by": mine},
        )
        await evaluate_item(uow, ctx, member, cascade=False)
        if member is item:
            result.outcome = outcome
        else:
            result.released.append({"certificate_id": member_id, "outcome": outcome})
    return result


def _waiting(member: ReviewItem, *, is_self: bool) -> bool:
    """A released member still needs its approval (not already passing, rejected or deleted)."""
    if is_self:
        return True
    return member.reviewable and member.awaiting_status not in PASSING | {REJECTED}


async def _wait_for_bundle(
    uow: ReviewUnitOfWork,
    ctx: Context,
    item: ReviewItem,
    progress: BundleProgress,
    size: int,
    decision: str,
    reason: str | None,
    actor: Actor,
) -> DecisionResult:
    have = progress.waiting
    why = (
        f"{item.bundle} 套組需 {size} 張通過，目前 {have} 張，通過前為再審中"
        f"（{item.bundle} bundle: {have} of {size} passing entries）"
    )
    if reason:
        why = f"{why}；{reason}"
    if item.status != REREVIEW and item.awaiting_status != REREVIEW:
        await record_decision(
            uow,
            item,
            REREVIEW,
            why,
            actor,
            details={"requested": decision, "bundle": item.bundle, "waiting": have, "size": size},
        )
    await evaluate_item(uow, ctx, item, cascade=False)
    return DecisionResult(str(item.certificate_id), decision, REREVIEW, why)


async def _final_outcome(uow: ReviewUnitOfWork, ctx: Context, item: ReviewItem) -> str:
    """approved, or on a credit-waiver track credit_pending (first IT certificate) / recorded."""
    track = ctx.track_of(item)
    mine = str(item.certificate_id)
    outcome = pass_outcome(track, item.it_certificate, await uow.credits.holder(item.student_id), mine)
    if outcome == CREDIT_PENDING and await uow.credits.claim(item.student_id, item.certificate_id) != mine:
        outcome = RECORDED  # another certificate of this student claimed the waiver first
    return outcome
