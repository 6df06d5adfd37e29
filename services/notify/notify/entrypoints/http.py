"""HTTP endpoints of the notify service: the delivery log for admins, the dev mailbox."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from certhub_kit.auth import ADMIN
from certhub_kit.http import CurrentUser, runtime_of

from ..service_layer.queries import captured_mails, list_deliveries
from .responses import CapturedMail, DeliveryPage

router = APIRouter(tags=["notify"])
dev_router = APIRouter(tags=["dev"])


@router.get("/api/notify/deliveries", response_model=DeliveryPage)
async def deliveries(
    request: Request,
    user: CurrentUser,
    status: Literal["pending", "sent", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    """The mail delivery log, newest first (admins only; the mails' content is not kept)."""
    user.require(ADMIN)
    async with runtime_of(request).uow() as uow:
        return await list_deliveries(uow, status=status, limit=limit, cursor=cursor)


@dev_router.get("/api/dev/mailbox", response_model=list[CapturedMail])
async def mailbox(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    to: Annotated[str | None, Query(max_length=254)] = None,
) -> list[dict]:
    """Mails captured in standalone/dev mode, newest first (this route never exists in production)."""
    async with runtime_of(request).uow() as uow:
        return await captured_mails(uow, limit=limit, recipient=to)
