"""Composition root of the rewards service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI

from certhub_kit.errors import DomainError
from certhub_kit.runtime import Runtime, ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.orm import metadata
from .entrypoints.events import HANDLERS
from .entrypoints.http import router
from .service_layer.context import PASSBOOKS, build_context
from .service_layer.dependencies import RewardsDeps
from .service_layer.standards import seed_demo_standards
from .service_layer.unit_of_work import RewardsUnitOfWork
from .settings import RewardsSettings

MIGRATIONS = Path(__file__).parent / "migrations"
DEMO_YEAR = 114  # the academic year of demo_standards.json
log = structlog.get_logger("rewards.bootstrap")


def load_settings(**overrides: Any) -> RewardsSettings:
    return RewardsSettings(**overrides)


def deps_builder(clock: Callable[[], datetime] | None = None) -> Callable[[Runtime[RewardsDeps]], RewardsDeps]:
    def build_deps(runtime: Runtime[RewardsDeps]) -> RewardsDeps:
        return RewardsDeps(context=build_context(runtime.settings, runtime.storage, clock))

    return build_deps


async def load_demo_data(runtime: Runtime[RewardsDeps]) -> None:
    if not runtime.settings.demo_data:
        return
    years = [DEMO_YEAR, runtime.deps.context.academic_year()]
    try:
        await runtime.transaction(lambda uow: seed_demo_standards(uow, years))
    except DomainError:  # another replica loaded it at the same moment
        log.info("demo_standards_already_loaded")


def spec(clock: Callable[[], datetime] | None = None) -> ServiceSpec[RewardsDeps]:
    return ServiceSpec(
        name="rewards",
        metadata=metadata,
        migrations=MIGRATIONS,
        routers=[router],
        uow_class=RewardsUnitOfWork,
        deps=deps_builder(clock),
        handlers=HANDLERS,
        buckets=[PASSBOOKS],
        on_start=[load_demo_data],
    )


def create_app(
    settings: RewardsSettings | None = None,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """``clock`` (tests, demos) replaces "now" for windows, academic years and review dates."""
    return create_service_app(spec(clock), settings or load_settings(), bus=bus, storage=storage, close_bus=close_bus)
