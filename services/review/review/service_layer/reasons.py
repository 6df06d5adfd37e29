"""Use cases: the rejection reasons list (read: staff; write: admin) and rejections counted by reason."""

from __future__ import annotations

from dataclasses import asdict

from certhub_kit.auth import Principal

from ..domain.reasons import RejectReason, checked_list, usable
from .access import require_admin, require_staff
from .unit_of_work import ReviewUnitOfWork


def reason_item(reason: RejectReason) -> dict:
    return asdict(reason)


async def list_reasons(uow: ReviewUnitOfWork, who: Principal) -> dict:
    require_staff(who)
    return {"reasons": [reason_item(r) for r in await uow.reasons.all()]}


async def replace_reasons(uow: ReviewUnitOfWork, who: Principal, reasons: list[RejectReason]) -> dict:
    require_admin(who)
    await uow.reasons.replace(checked_list(reasons), who.sub)
    await uow.audit(
        "review.reasons_updated",
        actor_id=who.sub,
        subject="reject_reasons",
        details={"codes": [r.code for r in reasons]},
    )
    return {"reasons": [reason_item(r) for r in await uow.reasons.all()]}


async def chosen_reason(uow: ReviewUnitOfWork, code: str | None) -> RejectReason | None:
    if not code:
        return None
    return usable({r.code: r for r in await uow.reasons.all()}, code)


async def rejections_report(uow: ReviewUnitOfWork, who: Principal, academic_year: int) -> dict:
    """``{academic_year, rows: [{reason_code, label, label_en, dept, count}], total}``: the centre and admins
    see every department, a reviewer their own."""
    require_staff(who)
    depts = None if who.is_center else tuple(who.depts)
    names = {r.code: r for r in await uow.reasons.all()}
    rows = []
    for code, dept, count in await uow.reasons.rejections_by_reason(academic_year, depts):
        reason = names.get(code or "")
        rows.append(
            {
                "reason_code": code,
                "label": reason.label if reason else "（未選原因）",
                "label_en": reason.label_en if reason else "(no reason code)",
                "dept": dept,
                "count": count,
            }
        )
    return {"academic_year": academic_year, "rows": rows, "total": sum(r["count"] for r in rows)}
