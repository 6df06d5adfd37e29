"""The composition root every service shares: clients are built here, in the lifespan.

A service describes itself with a :class:`ServiceSpec`; :func:`create_app` wires
database, storage, bus, relay, consumers and auth, and tears them down on stop.
The service's own collaborators (composer, caches, clocks …) are one typed object,
``runtime.deps``, built by the spec's ``deps`` function in the service's bootstrap.py.
Tests and the standalone launcher pass their own bus or storage as arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import structlog
from fastapi import APIRouter, FastAPI
from sqlalchemy import MetaData, Table

from .auth import DevIssuer, TokenVerifier
from .broker import RabbitBroker
from .db import Database
from .inbox import EventHandler, Inbox, with_deps
from .inproc import InProcessBus
from .logs import configure_logging
from .relay import OutboxRelay
from .schema import SchemaCheck
from .settings import ServiceSettings
from .storage import FolderStorage, MinioStorage, ObjectStorage
from .transactions import Outcome, each_in_own_transaction, in_transaction
from .uow import UnitOfWork

log = structlog.get_logger("certhub.runtime")
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
D = TypeVar("D")


@dataclass
class ServiceSpec(Generic[D]):
    """``deps(runtime)`` builds the service's typed collaborators once per process (``runtime.deps``);
    ``handlers`` is the service's ``entrypoints/events.py::HANDLERS`` (its queue bindings are derived from
    the same table: events/topology.py)."""

    name: str
    metadata: MetaData
    migrations: Path
    routers: list[APIRouter]
    uow_class: type[UnitOfWork] = UnitOfWork
    deps: Callable[[Runtime[D]], D] | None = None
    handlers: Mapping[str, EventHandler] | None = None
    buckets: list[str] = field(default_factory=list)
    on_start: list[Callable[[Runtime[D]], Awaitable[None]]] = field(default_factory=list)
    background: list[Callable[[Runtime[D]], Coroutine[Any, Any, None]]] = field(default_factory=list)
    serves_dev_login: bool = False


class Runtime(Generic[D]):
    """Everything a request or event handler may reach, built once per process."""

    deps: D

    def __init__(
        self, spec: ServiceSpec[D], settings: ServiceSettings, *, bus: Any = None, storage: ObjectStorage | None = None
    ):
        self.spec = spec
        self.service = spec.name
        self.settings: Any = settings  # the service's own settings class (a ServiceSettings subclass)
        self.db = Database(settings.database_url)
        self.storage = storage if storage is not None else build_storage(settings)
        self.bus = bus if bus is not None else build_bus(settings)
        self.outbox: Table = spec.metadata.tables["outbox"]
        self.inbox_table: Table = spec.metadata.tables["inbox"]
        self.audit: Table = spec.metadata.tables["audit_log"]
        self.relay = OutboxRelay(
            self.db,
            self.outbox,
            self.bus,
            service=spec.name,
            batch=settings.relay_batch,
            interval=settings.relay_interval_s,
            idle_interval=settings.relay_idle_interval_s,
        )
        self.dev_issuer = (
            DevIssuer(settings.dev_signing_key) if settings.auth_mode == "dev" and settings.relaxed else None
        )
        self.verifier = build_verifier(settings, self.dev_issuer)
        self.schema = SchemaCheck(self.db, spec.migrations, spec.name)
        self._tasks: list[asyncio.Task] = []
        if spec.deps is not None:  # last: the service's collaborators may use the clients above
            self.deps = spec.deps(self)

    @property
    def files(self) -> ObjectStorage:
        """The object storage, for the services that keep files (certificates, review, rewards)."""
        if self.storage is None:
            raise RuntimeError("object storage is not configured")
        return self.storage

    def uow(self) -> Any:  # the service's own UnitOfWork subclass (spec.uow_class)
        return self.spec.uow_class(
            self.db.sessions, source=self.service, outbox=self.outbox, audit=self.audit, on_commit=self.relay.nudge
        )

    async def transaction(self, work: Callable[[Any], Awaitable[T]], *, attempts: int = 3) -> T:
        """``work(uow)`` in one transaction committed here, retried when it was a deadlock victim."""
        return await in_transaction(self.uow, work, attempts=attempts)

    async def each_in_own_transaction(
        self, items: Iterable[I], work: Callable[[Any, I], Awaitable[T]], *, report_crashes: bool = False
    ) -> list[Outcome[I, T]]:
        """A bulk request: ``work(uow, item)`` per item, each in its own transaction (transactions.py)."""
        return await each_in_own_transaction(self.uow, items, work, report_crashes=report_crashes)

    async def start(self) -> None:
        from .pixels import PIXELS

        PIXELS.configure(limit=self.settings.scan_pixels_in_flight, max_pixels=self.settings.scan_max_pixels)
        if self.settings.migrate_on_start:
            from . import migrate  # Alembic (~11 MB) only where the service migrates itself

            await migrate.upgrade(
                self.spec.migrations, self.settings.database_url, app_role=self.settings.database_app_role
            )
        if self.storage is not None and self.spec.buckets:
            await self.storage.ensure_buckets(self.spec.buckets)
        if self.spec.handlers is not None:
            inbox = Inbox(
                self.service, self.uow, self.inbox_table, with_deps(self.spec.handlers, getattr(self, "deps", None))
            )
            self.bus.consume(self.service, inbox)
        for hook in self.spec.on_start:
            await hook(self)
        await self.bus.start()
        if hasattr(self.bus, "wait_connected"):
            await self.bus.wait_connected(self.settings.broker_start_wait_s)
        self._spawn(self.relay.run(), "relay")
        for job in self.spec.background:
            self._spawn(job(self), job.__name__)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(coro, name=f"{self.service}-{name}")
        task.add_done_callback(_log_crash)
        self._tasks.append(task)

    async def stop(self, *, close_bus: bool = True) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if close_bus:
            await self.bus.close()
        await self.db.dispose()

    async def readiness(self) -> dict[str, bool]:
        checks: dict[str, bool] = {}
        try:
            await asyncio.wait_for(self.db.ping(), 2)
            checks["database"] = True
        except Exception:
            checks["database"] = False
        try:  # every API call would fail on tables the code expects but the database lacks
            checks["schema"] = checks["database"] and await asyncio.wait_for(self.schema(), 2)
        except Exception:
            checks["schema"] = False
        checks["broker"] = await self.bus.ready()
        if self.storage is not None:
            checks["storage"] = await self.storage.ready()
        return checks


def serve(factory: str, settings: Any) -> None:
    """``python -m <service> serve``: uvicorn on the service's host and port, logging through the kit
    (JSON lines, uvicorn's own errors and tracebacks included; certhub_kit.logs)."""
    import uvicorn

    configure_logging(settings.log_level, json=settings.log_json)
    uvicorn.run(
        factory,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=True,
        log_config=None,
        access_log=False,
    )


def settle_heap() -> None:
    """What start-up built (modules, models, compiled SQL) lives as long as the process: collect the
    garbage once, then freeze the rest out of the collector's reach, so later full collections do
    not walk it (shorter pauses in request latency)."""
    gc.collect()
    gc.freeze()


def _log_crash(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background_task_crashed", task=task.get_name(), error=repr(task.exception()))


def build_storage(settings: ServiceSettings) -> ObjectStorage | None:
    if settings.s3_endpoint:
        return MinioStorage(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key,
            region=settings.s3_region,
            secure=settings.s3_secure,
            public_endpoint=settings.s3_public_endpoint,
            bucket_prefix=settings.bucket_prefix,
        )
    if settings.storage_dir:
        return FolderStorage(settings.storage_dir, settings.bucket_prefix)
    return None


def build_bus(settings: ServiceSettings) -> RabbitBroker | InProcessBus:
    if settings.amqp_url:
        return RabbitBroker(
            settings.amqp_url,
            exchange=settings.events_exchange,
            prefix=settings.queue_prefix,
            prefetch=settings.consumer_prefetch,
            max_retries=settings.consumer_max_retries,
            retry_delay_ms=settings.consumer_retry_delay_ms,
            delivery_limit=settings.consumer_delivery_limit,
            batch=settings.consumer_batch,
            batch_wait_ms=settings.consumer_batch_wait_ms,
        )
    return InProcessBus()


def build_verifier(settings: ServiceSettings, dev_issuer: DevIssuer | None) -> TokenVerifier:
    if dev_issuer is not None:
        return TokenVerifier(public_key=dev_issuer.public_key)
    return TokenVerifier(
        jwks_url=settings.oidc_jwks_url,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        client_id=settings.oidc_client_id,
        leeway_s=settings.oidc_leeway_s,
        require_tls=not (settings.relaxed or settings.oidc_allow_http),
        claim_names=settings.oidc_claims,
    )


def create_app(
    spec: ServiceSpec[Any],
    settings: ServiceSettings,
    *,
    bus: Any = None,
    storage: ObjectStorage | None = None,
    close_bus: bool = True,
) -> FastAPI:
    from fastapi import Depends

    from .devlogin import dev_login_router
    from .guards import AuthenticateBeforeBody, refuse_unsafe_input
    from .http import ERROR_RESPONSES, RequestContextMiddleware, health_router, install_error_handlers
    from .signin import auth_config_router

    configure_logging(settings.log_level, json=settings.log_json)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        runtime = Runtime(spec, settings, bus=bus, storage=storage)
        app.state.runtime = runtime
        await runtime.start()
        if settings.env != "test":  # a test process starts hundreds of apps; their objects must stay collectable
            settle_heap()
        try:
            yield
        finally:
            await runtime.stop(close_bus=close_bus)

    app = FastAPI(title=f"CertHub {spec.name}", lifespan=lifespan, dependencies=[Depends(refuse_unsafe_input)])
    install_error_handlers(app)
    app.add_middleware(AuthenticateBeforeBody)  # inside the request context: its 401s are counted and correlated
    app.add_middleware(RequestContextMiddleware, service=spec.name)
    app.include_router(health_router())
    if spec.serves_dev_login:
        app.include_router(auth_config_router(settings))
    if spec.serves_dev_login and settings.auth_mode == "dev" and settings.relaxed:
        app.include_router(dev_login_router())
    for router in spec.routers:
        app.include_router(router, responses=ERROR_RESPONSES)
    return app
