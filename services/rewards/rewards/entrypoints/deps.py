"""Dependencies shared by the rewards routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from ..service_layer.context import RewardsContext, context_of
from ..service_layer.unit_of_work import RewardsUnitOfWork


async def _uow(request: Request) -> AsyncIterator[RewardsUnitOfWork]:
    async with request.app.state.runtime.uow() as uow:
        yield uow


async def _context(request: Request) -> RewardsContext:  # async: no worker-thread hop
    return context_of(request.app.state.runtime)


UoW = Annotated[RewardsUnitOfWork, Depends(_uow)]
Ctx = Annotated[RewardsContext, Depends(_context)]
