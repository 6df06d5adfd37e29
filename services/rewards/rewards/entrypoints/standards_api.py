"""Standards and windows: `/api/rewards/standards`, `/api/rewards/window(s)`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile

from certhub_kit.errors import TooLarge
from certhub_kit.http import CurrentUser

from ..service_layer import standards as use
from ..service_layer.windows import current_window, set_window, window_view
from .deps import Ctx, UoW
from .responses import Standard, StandardsImported, Window
from .schemas import StandardIn, StandardPatch, WindowIn

router = APIRouter(prefix="/api/rewards", tags=["rewards: standards"])
MAX_CSV = 1024 * 1024


@router.get("/standards", response_model=list[Standard])
async def list_standards(
    user: CurrentUser, uow: UoW, ctx: Ctx, year: Annotated[int | None, Query(ge=1, le=999)] = None
) -> list[dict]:
    return await use.list_standards(uow, year if year is not None else ctx.academic_year())


@router.post("/standards", status_code=201, response_model=Standard)
async def create_standard(body: StandardIn, user: CurrentUser, uow: UoW) -> dict:
    return await use.create_standard(uow, user, body.model_dump())


@router.post("/standards/import", response_model=StandardsImported)
async def import_standards(user: CurrentUser, uow: UoW, file: UploadFile = File(...)) -> dict:
    user.require("admin")
    data = await file.read(MAX_CSV + 1)
    if len(data) > MAX_CSV:
        raise TooLarge("CSV 超過 1 MB", "The CSV exceeds 1 MB", code="csv_too_large")
    return await use.import_standards(uow, user, data)


@router.patch("/standards/{standard_id}", response_model=Standard)
async def update_standard(standard_id: uuid.UUID, body: StandardPatch, user: CurrentUser, uow: UoW) -> dict:
    return await use.update_standard(uow, user, standard_id, body.model_dump(exclude_unset=True))


@router.delete("/standards/{standard_id}", status_code=204)
async def delete_standard(standard_id: uuid.UUID, user: CurrentUser, uow: UoW) -> Response:
    await use.delete_standard(uow, user, standard_id)
    return Response(status_code=204)


@router.get("/window", response_model=Window)
async def get_window(user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return window_view(await current_window(uow, ctx), ctx.now())


@router.put("/windows/{year}", response_model=Window)
async def put_window(
    year: Annotated[int, Path(ge=1, le=999)], body: WindowIn, user: CurrentUser, uow: UoW, ctx: Ctx
) -> dict:
    return window_view(await set_window(uow, user, year, body.opens_at, body.closes_at), ctx.now())
