"""Composition root of the certificates service."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from certhub_kit.runtime import Runtime, ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.catalog_cache import CatalogCache
from .adapters.demo_catalog import load_demo_catalog
from .adapters.orm import metadata
from .entrypoints.events import HANDLERS
from .entrypoints.http import routers
from .service_layer.dependencies import CertificatesDeps
from .service_layer.scans import SCANS, THUMBNAILS
from .service_layer.unit_of_work import CertificatesUnitOfWork
from .settings import CertificatesSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def load_settings(**overrides: Any) -> CertificatesSettings:
    return CertificatesSettings(**overrides)


def build_deps(runtime: Runtime[CertificatesDeps]) -> CertificatesDeps:
    settings = runtime.settings
    return CertificatesDeps(
        catalog_cache=CatalogCache(settings.catalog_cache_entries),
        upload_slots=asyncio.Semaphore(settings.max_concurrent_uploads),
    )


def spec() -> ServiceSpec[CertificatesDeps]:
    return ServiceSpec(
        name="certificates",
        metadata=metadata,
        migrations=MIGRATIONS,
        routers=routers,
        uow_class=CertificatesUnitOfWork,
        deps=build_deps,
        handlers=HANDLERS,
        buckets=[SCANS, THUMBNAILS],
        on_start=[load_demo_catalog],
        serves_dev_login=True,
    )


def create_app(
    settings: CertificatesSettings | None = None,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
) -> FastAPI:
    return create_service_app(spec(), settings or load_settings(), bus=bus, storage=storage, close_bus=close_bus)
