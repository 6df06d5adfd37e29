"""Dependencies shared by the rewards routers: the request's unit of work (committed by the kit when the
endpoint returns) and the rewards context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from certhub_kit.http import unit_of_work

from ..service_layer.context import RewardsContext
from ..service_layer.unit_of_work import RewardsUnitOfWork


async def _context(request: Request) -> RewardsContext:  # async: no worker-thread hop
    return request.app.state.runtime.deps.context


UoW = Annotated[RewardsUnitOfWork, Depends(unit_of_work, scope="function")]
Ctx = Annotated[RewardsContext, Depends(_context)]
