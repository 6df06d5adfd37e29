"""HTTP: the department registry (read by every signed-in user, kept by the admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from certhub_kit.http import CurrentUser, runtime_of

from ..service_layer import departments
from .responses import Department, DepartmentList

router = APIRouter(prefix="/api/certificates/departments", tags=["departments"])


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=r"\S", description="zh-TW name, e.g. 資訊管理學系")
    name_en: str | None = Field(None, max_length=200)
    active: bool | None = None
    position: int | None = Field(None, ge=0, le=10_000)


@router.get("", response_model=DepartmentList)
async def list_departments(
    request: Request, user: CurrentUser, all: bool = Query(False, description="admin: include inactive departments")
) -> dict:
    """Departments in their order: ``code``, ``name`` (zh-TW), ``name_en``, ``active``, ``position``."""
    async with runtime_of(request).uow() as uow:
        return await departments.list_departments(uow, user, include_inactive=all)


@router.put("/{code}", response_model=Department)
async def put_department(
    code: Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$", description="e.g. IM (stored in capitals)")],
    body: DepartmentIn,
    request: Request,
    user: CurrentUser,
) -> dict:
    """Admin: create the department ``code`` or change its names, ``active`` or ``position``."""
    return await runtime_of(request).transaction(
        lambda uow: departments.put_department(
            uow, user, code, name=body.name, name_en=body.name_en, active=body.active, position=body.position
        )
    )
