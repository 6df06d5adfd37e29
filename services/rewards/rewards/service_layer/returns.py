"""Returned transfers (退匯): the centre imports the bank's rows against a paid batch (dry run first);
each returns to 待補正 with the bank's reason and, once the student fixes the account, a later batch pays it
(less the year's fee, if the school charges one)."""

from __future__ import annotations

import uuid
from typing import Any

from certhub_kit.errors import Conflict, Invalid, not_found
from certhub_kit.events.rewards import TransferReturned

from ..domain.applications import NEEDS_FIX, PAID
from ..domain.returns import MESSAGES, OK, check_rows, parse_returns, repayable_amount
from .access import require_bank_data
from .applications import student_ref
from .context import RewardsContext
from .rules import rules_for
from .unit_of_work import RewardsUnitOfWork


async def import_returns(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal, batch_id: uuid.UUID, data: bytes, *, dry_run: bool
) -> dict:
    """Every row is reported; nothing is applied unless every row is ok (a fixed file can be sent again)."""
    require_bank_data(principal)
    batch = await uow.payouts.get(batch_id, lock=True)
    if batch is None:
        raise not_found("撥款批次", "Payout batch")
    if batch.paid_at is None:
        raise Conflict(
            "此批次尚未撥款，沒有退匯可匯入",
            "This batch is not paid yet; there is nothing to return",
            code="batch_not_paid",
        )
    rows = parse_returns(data)
    applications = {
        str(a.id): a
        for a in [await uow.applications.get_listed(i, lock=True) for i in await uow.payouts.application_ids(batch_id)]
    }
    checked = check_rows(rows, {k: (a.status, a.amount) for k, a in applications.items()})
    report: list[dict[str, Any]] = []
    for row, status in checked:
        application = applications.get(row.application_id.lower())
        fee = (await rules_for(uow, application.academic_year)).return_fee if application and status == OK else 0
        zh, en = MESSAGES[status]
        report.append(
            {
                "row": row.row,
                "application_id": row.application_id,
                "status": status,
                "message": zh,
                "message_en": en,
                "amount": row.amount,
                "fee": fee,
                "repayable": repayable_amount(row.amount or 0, fee) if status == OK else None,
                "student_id": application.student_id if application else None,
                "reason": row.reason,
            }
        )
    bad = [r for r in report if r["status"] != OK]
    if dry_run:
        return {"dry_run": True, "rows": report, "returned": 0}
    if bad:
        raise Invalid(
            f"退匯檔有 {len(bad)} 列無法處理（第 {bad[0]['row']} 列：{bad[0]['message']}）；請先以試算檢查",
            f"{len(bad)} row(s) cannot be applied (row {bad[0]['row']}: {bad[0]['message_en']}); run the dry run first",
            code="returns_invalid",
        )
    for line in report:
        await _return_one(uow, ctx, principal.sub, batch_id, applications[line["application_id"].lower()], line)
    await uow.audit(
        "payout.returns_imported",
        actor_id=principal.sub,
        subject=str(batch_id),
        details={"rows": len(report), "fees": sum(r["fee"] for r in report)},
    )
    return {"dry_run": False, "rows": report, "returned": len(report)}


async def _return_one(
    uow: RewardsUnitOfWork, ctx: RewardsContext, actor: str, batch_id: uuid.UUID, application, row: dict
) -> None:
    reason = row["reason"]
    fee_zh = f"；扣除退匯手續費 NT${row['fee']:,}" if row["fee"] else ""
    fee_en = f"; a returned-transfer fee of NT${row['fee']:,} is deducted" if row["fee"] else ""
    await uow.payouts.record_return(batch_id, application.id, row["amount"], row["fee"], reason, actor)
    await uow.applications.change(
        application.id,
        status=NEEDS_FIX,
        paid_at=None,
        amount=row["repayable"],
        returned_fees=application.returned_fees + row["fee"],
        invalid_reason=f"銀行退匯：{reason}。請更正金融帳號後重新送出{fee_zh}",
        invalid_reason_en=f"The bank returned the transfer: {reason}. Correct your bank "
        f"account and save it again{fee_en}",
    )
    await uow.emit(
        TransferReturned(
            application_id=application.id,
            batch_id=batch_id,
            student=student_ref(application),
            academic_year=application.academic_year,
            standard_label=application.label,
            amount=row["amount"],
            fee=row["fee"],
            reason=reason,
            returned_at=ctx.now(),
        ),
        subject=str(application.id),
    )
    await uow.audit(
        "application.transfer_returned",
        actor_id=actor,
        subject=str(application.id),
        from_state=PAID,
        to_state=NEEDS_FIX,
        reason=reason,
        details={"batch_id": str(batch_id), "amount": row["amount"], "fee": row["fee"]},
    )
