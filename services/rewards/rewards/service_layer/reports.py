"""Per-year counts and amounts by department and standard."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal
from certhub_kit.errors import Invalid

from ..domain.applications import PAID, SECOND_PASSED, STATUS_LABELS
from ..domain.standards import dept_name
from .unit_of_work import RewardsUnitOfWork

AWARDED = [SECOND_PASSED, PAID]


async def report(uow: RewardsUnitOfWork, principal: Principal, year: int, status: str | None) -> dict:
    """Rows ``{dept, dept_name, standard_label, count, amount}``; by default the awarded applications."""
    principal.require(REVIEWER, CENTER, ADMIN)
    if status is not None and status not in STATUS_LABELS:
        raise Invalid("未知的狀態", f"Unknown status {status!r}", code="invalid_status")
    statuses = [status] if status else AWARDED
    depts = None if principal.is_center else tuple(principal.depts)
    rows = await uow.applications.report(year, statuses, depts)
    return {
        "academic_year": year,
        "statuses": statuses,
        "rows": [
            {
                "dept": d,
                "dept_name": dept_name(d) if d else None,
                "standard_label": label,
                "count": count,
                "amount": int(amount or 0),
            }
            for d, label, count, amount in rows
        ],
    }
