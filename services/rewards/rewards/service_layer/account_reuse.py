"""One-click reuse of a verified account: the account of an earlier application that was paid (a transfer
reached it) is sealed again for the new application; the student never sees it beyond the mask."""

from __future__ import annotations

import uuid

from certhub_kit.auth import Principal
from certhub_kit.errors import Conflict

from ..domain.applications import NEEDS_FIX, PAID, check_student_may_change
from ..domain.banking import OTHER, BankAccount
from .access import owned_application
from .applications import read_application
from .bank_accounts import store_account
from .context import PASSBOOKS, RewardsContext
from .unit_of_work import RewardsUnitOfWork


def _not_verified() -> Conflict:
    return Conflict(
        "只能沿用曾成功撥款的帳戶（需為您本人已撥款的申請）",
        "Only an account a reward was paid to can be reused (one of your paid applications)",
        code="account_not_verified",
    )


async def reuse_account(
    uow: RewardsUnitOfWork, ctx: RewardsContext, principal: Principal, application_id: uuid.UUID, source_id: uuid.UUID
) -> dict:
    application = await owned_application(uow, principal, application_id)
    if application.status != NEEDS_FIX:
        check_student_may_change(application.status, application.first_result)
    source = await uow.applications.get(source_id)
    if source is None or source.student_id != principal.sub or source.status != PAID or source.id == application.id:
        raise _not_verified()
    bank = (await uow.applications.bank_accounts_of([source.id])).get(source.id)
    if bank is None or bank.method == OTHER:
        raise _not_verified()
    try:
        secret = ctx.cipher.open(source.id, bank.sealed)
    except ValueError:
        raise _not_verified() from None
    account = BankAccount(
        bank.method,
        bank.code,
        secret.get("account_no"),
        bank.account_name,
        secret.get("postal_code") or "",
        secret.get("address") or "",
    )
    key = await _copy_passbook(ctx, bank, application.id)
    await store_account(
        uow,
        ctx,
        principal,
        application,
        account,
        new_key=key,
        passbook_key=key,
        passbook_content_type=bank.passbook_content_type if key else None,
        action="bank_account.reused",
        details={"from_application_id": str(source.id)},
    )
    return (await read_application(uow, ctx, principal, application.id))["bank_account"]


async def _copy_passbook(ctx: RewardsContext, bank, application_id: uuid.UUID) -> str | None:
    if not bank.passbook_key or ctx.storage is None:
        return None
    key = f"{application_id}/{uuid.uuid4().hex}.{bank.passbook_key.rsplit('.', 1)[-1]}"
    await ctx.storage.put(
        PASSBOOKS,
        key,
        await ctx.storage.get(PASSBOOKS, bank.passbook_key),
        bank.passbook_content_type or "application/octet-stream",
    )
    return key
