"""Reward rules per academic year, application flags, returned transfers and account reuse."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile

from certhub_kit.errors import TooLarge
from certhub_kit.http import CurrentUser

from ..domain.returns import TEMPLATE_EXAMPLE, TEMPLATE_HEADER
from ..service_layer.access import require_bank_data
from ..service_layer.account_reuse import reuse_account
from ..service_layer.applications import read_application
from ..service_layer.returns import import_returns
from ..service_layer.rules import preview_rules, put_rules, read_rules, set_flags
from .deps import Ctx, UoW
from .exports import CSV_ANSWER, csv_response
from .responses import Application, BankAccount, ReturnsImport, RulesPreview, SavedRules, YearRules
from .schemas import FlagsIn, Ranking, ReuseAccountIn, RulesIn

router = APIRouter(prefix="/api/rewards", tags=["rewards: rules"])
YearPath = Annotated[int, Path(ge=1, le=999)]
Amount = Annotated[str | None, Query(max_length=8, pattern=r"^\d*$")]  # NT$; "" (sent empty): none
FLAG_LIST = r"^((subsidised|threshold)(,(subsidised|threshold))*)?$"
MAX_RETURNS_CSV = 1024 * 1024


@router.get("/rules/{year}", response_model=YearRules)
async def get_rules(year: YearPath, user: CurrentUser, uow: UoW) -> dict:
    return await read_rules(uow, user, year)


@router.put("/rules/{year}", response_model=SavedRules)
async def set_rules(year: YearPath, body: RulesIn, user: CurrentUser, uow: UoW) -> dict:
    return await put_rules(uow, user, year, body.model_dump())


@router.get("/rules/{year}/preview", response_model=RulesPreview)
async def preview(
    year: YearPath,
    user: CurrentUser,
    uow: UoW,
    cap_per_student: Amount = None,
    budget: Amount = None,
    ranking: Ranking | None = None,
    exclusions: Annotated[
        str | None, Query(max_length=40, pattern=FLAG_LIST, description="comma-separated flags")
    ] = None,
) -> dict:
    """What-if of the stored rules; a query value given (even empty: no cap, no budget, no exclusion)
    replaces the stored one, so the admin previews the unsaved form."""
    overrides: dict = {
        k: (int(v) if v else None)
        for k, v in dict(cap_per_student=cap_per_student, budget=budget).items()
        if v is not None
    }
    if ranking:
        overrides["ranking"] = ranking
    if exclusions is not None:
        overrides["exclusions"] = [f for f in exclusions.split(",") if f.strip()]
    return await preview_rules(uow, user, year, overrides)


@router.put("/applications/{application_id}/flags", response_model=Application, response_model_exclude_unset=True)
async def flags(application_id: uuid.UUID, body: FlagsIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    await set_flags(uow, user, application_id, body.flags)
    return await read_application(uow, ctx, user, application_id)


@router.post(
    "/applications/{application_id}/bank-account/reuse", response_model=BankAccount, response_model_exclude_unset=True
)
async def reuse(application_id: uuid.UUID, body: ReuseAccountIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await reuse_account(uow, ctx, user, application_id, body.from_application_id)


@router.get("/payouts/returns/template.csv", response_class=Response, responses=CSV_ANSWER)
async def returns_template(user: CurrentUser) -> Response:
    require_bank_data(user)
    return csv_response(TEMPLATE_HEADER, [TEMPLATE_EXAMPLE], "payout-returns-template.csv")


@router.post("/payouts/{batch_id}/returns", response_model=ReturnsImport)
async def returns(
    batch_id: uuid.UUID,
    user: CurrentUser,
    uow: UoW,
    ctx: Ctx,
    file: UploadFile = File(...),
    dry_run: Annotated[bool, Form()] = True,
) -> dict:
    """The bank's returned rows (CSV: application_id, amount, reason); ``dry_run`` (default) only reports."""
    require_bank_data(user)
    data = await file.read(MAX_RETURNS_CSV + 1)
    if len(data) > MAX_RETURNS_CSV:
        raise TooLarge("CSV 超過 1 MB", "The CSV exceeds 1 MB", code="csv_too_large")
    return await import_returns(uow, ctx, user, batch_id, data, dry_run=dry_run)
