"""Composition root of the rewards service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI

from certhub_kit.errors import DomainError
from certhub_kit.runtime import ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.orm import metadata
from .entrypoints.events import handlers
from .entrypoints.http import router
from .service_layer.context import CONTEXT_KEY, PASSBOOKS, build_context
from .service_layer.standards import seed_demo_standards
from .service_layer.unit_of_work import RewardsUnitOfWork
from .settings import RewardsSettings

MIGRATIONS = Path(__file__).parent / "migrations"
DEMO_YEAR = 114  # the academic year of demo_standards.json
log = structlog.get_logger("rewards.bootstrap")


def load_settings(**overrides: Any) -> RewardsSettings:
    return RewardsSettings(**overrides)


async def build_rewards_context(runtime: Any) -> None:
    runtime.extras[CONTEXT_KEY] = build_context(runtime)


async def load_demo_data(runtime: Any) -> None:
    if not runtime.settings.demo_data:
        return
    years = [DEMO_YEAR, runtime.extras[CONTEXT_KEY].academic_year()]
    try:
        async with runtime.uow() as uow:
            await seed_demo_standards(uow, years)
    except DomainError:  # another replica loaded it at the same moment
        log.info("demo_standards_already_loaded")


def spec() -> ServiceSpec:
    return ServiceSpec(name="rewards", metadata=metadata, migrations=MIGRATIONS, routers=[router],
                       uow_class=RewardsUnitOfWork, handlers=handlers, buckets=[PASSBOOKS],
                       on_start=[build_rewards_context, load_demo_data])


def create_app(settings: RewardsSettings | None = None, *, bus: Any = None, storage: ObjectStorage | None = None,
               close_bus: bool = True, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """``clock`` (tests, demos) replaces "now" for windows, academic years and review dates."""
    extras = {"clock": clock} if clock is not None else None
    return create_service_app(spec(), settings or load_settings(), bus=bus, storage=storage, close_bus=close_bus,
                              extras=extras)
