"""Composition root of the certificates service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from certhub_kit.runtime import ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.catalog_cache import install_catalog_cache
from .adapters.demo_catalog import load_demo_catalog
from .adapters.orm import metadata
from .entrypoints.handlers import event_handlers
from .entrypoints.http import routers
from .service_layer.scans import SCANS, THUMBNAILS
from .service_layer.unit_of_work import CertificatesUnitOfWork
from .settings import CertificatesSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def load_settings(**overrides: Any) -> CertificatesSettings:
    return CertificatesSettings(**overrides)


def spec() -> ServiceSpec:
    return ServiceSpec(name="certificates", metadata=metadata, migrations=MIGRATIONS, routers=routers,
                       uow_class=CertificatesUnitOfWork, handlers=event_handlers, buckets=[SCANS, THUMBNAILS],
                       on_start=[load_demo_catalog, install_catalog_cache], serves_dev_login=True)


def create_app(settings: CertificatesSettings | None = None, *, bus: Any = None,
               storage: ObjectStorage | None = None, close_bus: bool = True) -> FastAPI:
    return create_service_app(spec(), settings or load_settings(), bus=bus, storage=storage, close_bus=close_bus)
