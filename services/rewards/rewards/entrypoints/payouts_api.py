"""Payout batches under `/api/rewards/payouts` (centre only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from certhub_kit.http import CurrentUser

from ..service_layer import payouts as use
from .deps import Ctx, UoW
from .exports import CSV_ANSWER, csv_response
from .responses import Batch, BatchWithApplications, PaidBatch
from .schemas import PayoutIn

router = APIRouter(prefix="/api/rewards/payouts", tags=["rewards: payouts"])


@router.post("", status_code=201, response_model=BatchWithApplications, response_model_exclude_unset=True)
async def create(body: PayoutIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.create_batch(uow, ctx, user, body.application_ids)


@router.get("", response_model=list[Batch])
async def list_batches(user: CurrentUser, uow: UoW) -> list[dict]:
    return await use.list_batches(uow, user)


@router.get("/{batch_id}", response_model=BatchWithApplications, response_model_exclude_unset=True)
async def read(batch_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.read_batch(uow, ctx, user, batch_id)


@router.get("/{batch_id}/export.csv", response_class=Response, responses=CSV_ANSWER)
async def export(batch_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> Response:
    rows, file_name = await use.export_rows(uow, ctx, user, batch_id)
    return csv_response(use.EXPORT_HEADER, rows, file_name)


@router.post("/{batch_id}/paid", response_model=PaidBatch)
async def paid(batch_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.mark_paid(uow, ctx, user, batch_id)
