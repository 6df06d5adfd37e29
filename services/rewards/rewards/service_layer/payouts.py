"""Payout batches: the centre groups second-review-passed applications, exports, marks paid."""

from __future__ import annotations

import uuid

from certhub_kit.auth import ADMIN, CENTER, Principal
from certhub_kit.errors import Conflict, Invalid, not_found
from certhub_kit.events.rewards import RewardPaid

from ..domain.applications import PAID, SECOND_PASSED
from ..domain.banking import check_payable
from ..domain.calendar import TAIPEI
from .access import require_bank_data, sees_bank_data
from .applications import student_ref, views_of
from .bank_accounts import full_accounts
from .context import RewardsContext
from .unit_of_work import RewardsUnitOfWork

MAX_BATCH = 2000


def batch_names(row) -> tuple[str, str]:
    """115學年第1批 / AY115 batch 1 (a batch without a year: the start of its id)."""
    if row.academic_year is None or row.year_seq is None:
        return str(row.id)[:8], str(row.id)[:8]
    return f"{row.academic_year}學年第{row.year_seq}批", f"AY{row.academic_year} batch {row.year_seq}"


def _batch_summary(row, count: int | None = None, total: int | None = None, application_ids=None) -> dict:
    name, name_en = batch_names(row)
    return {
        "id": str(row.id),
        "name": name,
        "name_en": name_en,
        "academic_year": row.academic_year,
        "year_seq": row.year_seq,
        "created_by": row.created_by,
        "created_at": row.created_at.astimezone(TAIPEI).isoformat(),
        "paid_at": row.paid_at.astimezone(TAIPEI).isoformat() if row.paid_at else None,
        "paid_by": row.paid_by,
        "status": "paid" if row.paid_at else "open",
        "count": count,
        "total": total,
        "application_ids": [str(i) for i in application_ids or ()],
    }


async def create_batch(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_ids: list
) -> dict:
    principal.require(CENTER, ADMIN)
    ids = list(dict.fromkeys(application_ids))
    if not ids or len(ids) > MAX_BATCH:
        raise Invalid(
            f"請選擇 1 到 {MAX_BATCH} 筆申請", f"Choose between 1 and {MAX_BATCH} applications", code="invalid_batch"
        )
    banks = await uow.applications.bank_accounts_of(ids)
    years = []
    for application_id in ids:
        application = await uow.applications.get(application_id, lock=True)
        if application is None:
            raise not_found("獎勵申請", "Application")
        years.append(application.academic_year)
        if application.status != SECOND_PASSED:
            raise Conflict(
                f"申請 {application.student_id}「{application.label}」尚未通過複審或已撥款，不能撥款",
                f"Application of {application.student_id} ({application.label}) has not passed the second "
                "review or was paid already",
                code="not_payable",
            )
        bank = banks.get(application_id)
        check_payable(
            application.amount,
            bank and bank.method,
            bool(bank and bank.other_acknowledged_at),
            label=f"{application.student_id}「{application.label}」：",
        )
    batch_id = uuid.uuid4()
    await uow.payouts.add(batch_id, principal.sub, ids, max(years))
    await uow.audit("payout.created", actor_id=principal.sub, subject=str(batch_id), details={"applications": len(ids)})
    return await read_batch(uow, ctx, principal, batch_id)


async def list_batches(uow: RewardsUnitOfWork, principal: Principal) -> list[dict]:
    principal.require(CENTER, ADMIN)
    return [_batch_summary(r, r.count, r.total, r.application_ids) for r in await uow.payouts.list()]


async def _batch(uow: RewardsUnitOfWork, batch_id: uuid.UUID, *, lock: bool = False):
    row = await uow.payouts.get(batch_id, lock=lock)
    if row is None:
        raise not_found("撥款批次", "Payout batch")
    return row


async def read_batch(uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, batch_id: uuid.UUID) -> dict:
    """The centre's payout view: the only response with full account numbers (each read audited); an
    admin sees the same batch with the masked accounts only."""
    principal.require(CENTER, ADMIN)
    row = await _batch(uow, batch_id)
    ids = await uow.payouts.application_ids(batch_id)
    found = [await uow.applications.get_listed(i) for i in ids]
    views = await views_of(uow, ctx, principal, found)
    accounts = await full_accounts(uow, ctx, principal, ids, purpose="payout_view") if sees_bank_data(principal) else {}
    for view, application_id in zip(views, ids, strict=True):
        view["bank_account_full"] = accounts.get(application_id)
    return {**_batch_summary(row, len(views), sum(v["amount"] for v in views), ids), "applications": views}


EXPORT_HEADER = ["匯款代碼 code", "帳號 account", "戶名 name", "金額 amount", "學號 student_number"]


async def export_rows(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, batch_id: uuid.UUID
) -> tuple[list, str]:
    """The bank-transfer file (rows and file name, payout-AY115-1.csv) carries full account numbers: the centre only."""
    require_bank_data(principal)
    batch = await _batch(uow, batch_id)
    ids = await uow.payouts.application_ids(batch_id)
    accounts = await full_accounts(uow, ctx, principal, ids, purpose="payout_export")
    rows = []
    for application_id in ids:
        application = await uow.applications.get_listed(application_id)
        account = accounts.get(application_id) or {}
        rows.append(
            [
                account.get("code") or "",
                account.get("account_no") or "",
                account.get("account_name") or application.student_name,
                application.amount,
                application.student_id,
            ]
        )
    await uow.audit("payout.exported", actor_id=principal.sub, subject=str(batch_id), details={"rows": len(rows)})
    name = f"AY{batch.academic_year}-{batch.year_seq}" if batch.academic_year is not None else str(batch_id)
    return rows, f"payout-{name}.csv"


async def mark_paid(uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, batch_id: uuid.UUID) -> dict:
    """Pays what is still payable; applications invalidated meanwhile stay visibly invalid, unpaid."""
    principal.require(CENTER, ADMIN)
    row = await _batch(uow, batch_id, lock=True)
    if row.paid_at is not None:
        raise Conflict("此批次已標記為已撥款", "This batch is already marked paid", code="batch_paid")
    now = ctx.now()
    skipped = []
    for application_id in await uow.payouts.application_ids(batch_id):
        application = await uow.applications.get_listed(application_id, lock=True)
        if application.status != SECOND_PASSED:
            skipped.append(str(application_id))
            continue
        await uow.applications.change(application_id, status=PAID, paid_at=now)
        await uow.emit(
            RewardPaid(
                application_id=application_id,
                batch_id=batch_id,
                student=student_ref(application),
                academic_year=application.academic_year,
                standard_label=application.label,
                amount=application.amount,
                paid_at=now,
            ),
            subject=str(application_id),
        )
        await uow.audit(
            "application.paid",
            actor_id=principal.sub,
            subject=str(application_id),
            from_state=SECOND_PASSED,
            to_state=PAID,
            details={"batch_id": str(batch_id)},
        )
    await uow.payouts.mark_paid(batch_id, principal.sub, now)
    await uow.audit("payout.paid", actor_id=principal.sub, subject=str(batch_id), details={"skipped": skipped})
    summary = await read_batch_summary(uow, batch_id)
    return {**summary, "skipped": skipped}


async def read_batch_summary(uow: RewardsUnitOfWork, batch_id: uuid.UUID) -> dict:
    for row in await uow.payouts.list():
        if row.id == batch_id:
            return _batch_summary(row, row.count, row.total, row.application_ids)
    raise not_found("撥款批次", "Payout batch")
