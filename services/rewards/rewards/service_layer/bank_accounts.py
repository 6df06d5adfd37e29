"""Bank accounts for payouts: validated, sealed with AES-GCM, masked, every full read audited.

Account numbers are never logged and never put in events; audit rows name the
application and the purpose of a read, not the number.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import structlog

from certhub_kit.auth import Principal
from certhub_kit.errors import Conflict, Invalid, NotFound
from certhub_kit.scans import checked_scan

from ..domain.applications import NEEDS_FIX, PAID, SECOND_PASSED, check_student_may_change
from ..domain.banking import OTHER, bank_account_from_form
from .access import owned_application, require_bank_data, visible_application
from .applications import read_application
from .context import PASSBOOKS, RewardsContext
from .unit_of_work import RewardsUnitOfWork

log = structlog.get_logger("rewards.bank_accounts")


async def put_bank_account(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application_id: uuid.UUID,
    form: Mapping[str, str | None],
    passbook: bytes | None,
) -> dict:
    """Owner only, until the first review passes; a passbook-cover scan is needed for transfers."""
    application = await owned_application(uow, principal, application_id)
    if application.status != NEEDS_FIX:  # a returned transfer is fixed here, after the reviews
        check_student_may_change(application.status, application.first_result)
    account = bank_account_from_form(
        method=form.get("method") or "",
        code=form.get("code"),
        account_no=form.get("account_no"),
        account_name=form.get("account_name"),
        postal_code=form.get("postal_code"),
        address=form.get("address"),
        other_reason=form.get("other_reason"),
        student_name=principal.name,
        directory=ctx.banks,
    )
    scan = await checked_scan(passbook, max_bytes=ctx.passbook_max_bytes) if passbook else None
    previous = (await uow.applications.bank_accounts_of([application.id])).get(application.id)
    keep_old = scan is None and previous is not None and previous.passbook_key is not None
    if scan is None and account.method != OTHER and not keep_old:
        raise Invalid(
            "請上傳存摺封面影本（JPEG、PNG 或 PDF）",
            "Upload the cover of your passbook (JPEG, PNG or PDF)",
            code="passbook_missing",
        )
    key = None
    if scan is not None:
        key = f"{application.id}/{uuid.uuid4().hex}.{scan.kind}"
        await ctx.files.put(PASSBOOKS, key, scan.data, scan.content_type)
    kept = previous if keep_old else None
    await store_account(
        uow,
        ctx,
        principal,
        application,
        account,
        new_key=key,
        passbook_key=key if scan else (kept.passbook_key if kept else None),
        passbook_content_type=scan.content_type if scan else (kept.passbook_content_type if kept else None),
        action="bank_account.saved",
        details={"passbook": scan is not None},
    )
    stale = previous.passbook_key if previous is not None and scan is not None else None
    if stale:
        uow.after_commit(lambda: ctx.files.delete(PASSBOOKS, stale))
    log.info("bank_account_saved", application_id=str(application.id), method=account.method)
    return (await read_application(uow, ctx, principal, application.id))["bank_account"]


async def store_account(
    uow: RewardsUnitOfWork,
    ctx: RewardsContext,
    principal: Principal,
    application,
    account,
    *,
    new_key: str | None,
    passbook_key: str | None,
    passbook_content_type: str | None,
    action: str,
    details: dict,
) -> None:
    """Seals and saves the account (audited); a passbook object stored for it (``new_key``) is removed
    again if the transaction does not commit. A changed account needs the centre's acknowledgement anew."""
    if new_key is not None:
        uow.on_rollback(lambda: ctx.files.delete(PASSBOOKS, new_key))
    await uow.applications.put_bank_account(
        application.id,
        dict(
            method=account.method,
            code=account.code,
            account_last4=account.last4,
            account_name=account.account_name,
            sealed=ctx.cipher.seal(application.id, account),
            passbook_key=passbook_key,
            passbook_content_type=passbook_content_type,
            other_acknowledged_by=None,
            other_acknowledged_at=None,
        ),
    )
    await uow.audit(
        action,
        actor_id=principal.sub,
        subject=str(application.id),
        details={"method": account.method, "code": account.code, **details},
    )
    await payable_again(uow, principal, application)


async def full_accounts(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_ids: list, purpose: str
) -> dict:
    """``{application_id: full account}`` for the centre's payouts; one audit row per account read."""
    banks = await uow.applications.bank_accounts_of(application_ids)
    opened = {}
    for application_id, bank in banks.items():
        try:
            secret = ctx.cipher.open(application_id, bank.sealed)
        except ValueError:  # sealed with another key (e.g. an ephemeral dev key): ask the student again
            log.warning("bank_account_unreadable", application_id=str(application_id))
            secret = {"unreadable": True}
        opened[application_id] = {
            "method": bank.method,
            "code": bank.code,
            "account_no": secret.get("account_no"),
            "account_name": bank.account_name,
            "postal_code": secret.get("postal_code"),
            "address": secret.get("address"),
            "other_reason": secret.get("other_reason"),
            "unreadable": bool(secret.get("unreadable")),
        }
        await uow.audit(
            "bank_account.read", actor_id=principal.sub, subject=str(application_id), details={"purpose": purpose}
        )
    return opened


async def read_passbook(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_id: uuid.UUID
) -> tuple[bytes, str]:
    """The passbook cover (it shows the full account number) for its owner and the centre only (audited)."""
    application = await visible_application(uow, principal, application_id)
    if principal.sub != application.student_id:
        require_bank_data(principal)
    bank = (await uow.applications.bank_accounts_of([application.id])).get(application.id)
    if bank is None or not bank.passbook_key:
        raise NotFound("此申請沒有存摺封面", "This application has no passbook cover", code="no_passbook")
    data = await ctx.files.get(PASSBOOKS, bank.passbook_key)
    await uow.audit("passbook.read", actor_id=principal.sub, subject=str(application.id))
    return data, bank.passbook_content_type or "application/octet-stream"


async def acknowledge_other(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_id: uuid.UUID, note: str | None
) -> dict:
    """The centre accepts a student's reason for having no account ("other"): only then can the first
    review pass and the application be paid. A later change of the account needs this again."""
    require_bank_data(principal)
    application = await visible_application(uow, principal, application_id, lock=True)
    bank = (await uow.applications.bank_accounts_of([application.id])).get(application.id)
    if bank is None or bank.method != OTHER:
        raise Conflict(
            "此申請未選擇「其他支付方式」，不需確認",
            "This application does not use 'other' payment; there is nothing to acknowledge",
            code="not_other_payment",
        )
    if bank.other_acknowledged_at is not None or application.status == PAID:
        raise Conflict(
            "此申請的其他支付方式已確認過", "This 'other' payment was acknowledged already", code="already_acknowledged"
        )
    now = ctx.now()
    await uow.applications.acknowledge_other(application.id, principal.sub, now)
    await uow.audit(
        "bank_account.other_acknowledged",
        actor_id=principal.sub,
        subject=str(application.id),
        reason=(note or "").strip()[:500] or None,
    )
    return (await read_application(uow, ctx, principal, application.id))["bank_account"]


async def payable_again(uow: RewardsUnitOfWork, principal: Principal, application) -> None:
    """A corrected account after a returned transfer: a later payout batch pays it."""
    if application.status != NEEDS_FIX:
        return
    await uow.applications.change(application.id, status=SECOND_PASSED, invalid_reason=None, invalid_reason_en=None)
    await uow.audit(
        "application.account_fixed",
        actor_id=principal.sub,
        subject=str(application.id),
        from_state=NEEDS_FIX,
        to_state=SECOND_PASSED,
    )
