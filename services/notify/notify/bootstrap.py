"""Composition root of the notify service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from certhub_kit.polling import Wake
from certhub_kit.runtime import Runtime, ServiceSpec
from certhub_kit.runtime import create_app as create_service_app
from certhub_kit.storage import ObjectStorage

from .adapters.orm import metadata
from .adapters.smtp import CapturingTransport, SmtpTransport
from .adapters.templates import MailTemplates
from .domain.delivery import RetryPolicy
from .entrypoints.background import mail_sender, reminder_scheduler
from .entrypoints.events import HANDLERS
from .entrypoints.http import dev_router, router
from .service_layer.composer import MailComposer
from .service_layer.dependencies import NotifyDeps
from .service_layer.unit_of_work import NotifyUnitOfWork
from .settings import NotifySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def load_settings(**overrides: Any) -> NotifySettings:
    return NotifySettings(**overrides)


def spec(settings: NotifySettings | None = None) -> ServiceSpec[NotifyDeps]:
    settings = settings or load_settings()
    routers = [router, dev_router] if settings.serves_mailbox else [router]
    return ServiceSpec(
        name="notify",
        metadata=metadata,
        migrations=MIGRATIONS,
        routers=routers,
        uow_class=NotifyUnitOfWork,
        deps=build_deps,
        handlers=HANDLERS,
        background=[mail_sender, reminder_scheduler],
    )


def build_deps(runtime: Runtime[NotifyDeps]) -> NotifyDeps:
    """Clients and helpers the handlers and background jobs share (built once per process)."""
    settings = runtime.settings
    transport: SmtpTransport | CapturingTransport
    if settings.mail_capture:
        transport = CapturingTransport()
    else:
        transport = SmtpTransport(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_s,
            mail_from=settings.mail_from,
            allow_plaintext_auth=settings.smtp_allow_plaintext_auth,
            ca_file=settings.smtp_ca_file,
        )
    return NotifyDeps(
        composer=MailComposer(MailTemplates(), settings.public_base_url),
        transport=transport,
        retry_policy=RetryPolicy(
            base_s=settings.mail_retry_base_s, max_s=settings.mail_retry_max_s, max_attempts=settings.mail_max_attempts
        ),
        wake=Wake(),
    )


def create_app(
    settings: NotifySettings | None = None,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
) -> FastAPI:
    settings = settings or load_settings()
    return create_service_app(spec(settings), settings, bus=bus, storage=storage, close_bus=close_bus)
