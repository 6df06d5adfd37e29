"""Composition root of the review service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from certhub_kit.runtime import Runtime, ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.orm import metadata
from .entrypoints.events import HANDLERS
from .entrypoints.http import router
from .service_layer.configure import seed_demo_tracks
from .service_layer.dependencies import ReviewDeps
from .service_layer.originals import ORIGINALS
from .service_layer.reviewers import SeenReviewers
from .service_layer.unit_of_work import ReviewUnitOfWork
from .settings import ReviewSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def load_settings(**overrides: Any) -> ReviewSettings:
    return ReviewSettings(**overrides)


def build_deps(runtime: Runtime[ReviewDeps]) -> ReviewDeps:
    return ReviewDeps(reviewers=SeenReviewers())


async def seed_demo(runtime: Runtime[ReviewDeps]) -> None:
    if getattr(runtime.settings, "demo_data", False):
        await runtime.transaction(seed_demo_tracks)


def spec() -> ServiceSpec[ReviewDeps]:
    return ServiceSpec(
        name="review",
        metadata=metadata,
        migrations=MIGRATIONS,
        routers=[router],
        uow_class=ReviewUnitOfWork,
        deps=build_deps,
        handlers=HANDLERS,
        buckets=[ORIGINALS],
        on_start=[seed_demo],
    )


def create_app(
    settings: ReviewSettings | None = None,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
) -> FastAPI:
    return create_service_app(spec(), settings or load_settings(), bus=bus, storage=storage, close_bus=close_bus)
