"""Composition root of the credentials service."""

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
from .entrypoints.pages import pages
from .service_layer.dependencies import CredentialsDeps
from .service_layer.issuer import IssuerContext, load_keys
from .service_layer.unit_of_work import CredentialsUnitOfWork
from .settings import CredentialsSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def load_settings(**overrides: Any) -> CredentialsSettings:
    return CredentialsSettings(**overrides)


def build_deps(runtime: Runtime[CredentialsDeps]) -> CredentialsDeps:
    return CredentialsDeps(issuer=IssuerContext(runtime.settings))


async def _load_keys(runtime: Runtime[CredentialsDeps]) -> None:
    await load_keys(runtime.deps.issuer, runtime.transaction)


def spec(settings: CredentialsSettings | None = None) -> ServiceSpec[CredentialsDeps]:
    return ServiceSpec(
        name="credentials",
        metadata=metadata,
        migrations=MIGRATIONS,
        routers=[router, pages],
        uow_class=CredentialsUnitOfWork,
        deps=build_deps,
        on_start=[_load_keys],
        handlers=HANDLERS,
    )


def create_app(
    settings: CredentialsSettings | None = None,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
) -> FastAPI:
    settings = settings or load_settings()
    return create_service_app(spec(settings), settings, bus=bus, storage=storage, close_bus=close_bus)
