"""Database access: engine and sessions built by the composition root, never at import."""

from __future__ import annotations

import time

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

PING_AFTER_IDLE_S = 10.0


class Database:
    """One async engine and its session factory for one service database.

    A pooled connection is pinged when it is taken after resting ``ping_after_idle_s`` in the pool (one
    the server or the network dropped meanwhile is replaced before use), not on every checkout: the
    ping is three round trips (BEGIN, an empty query, ROLLBACK) and under load a connection rests
    milliseconds. A server restart within that time fails the statement that meets it, which
    invalidates the whole pool (SQLAlchemy's disconnect handling), as the ping would have found.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int = 20,
        echo: bool = False,
        ping_after_idle_s: float = PING_AFTER_IDLE_S,
    ):
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=False,
            echo=echo,
            hide_parameters=True,  # a database error is logged without the values (emails, phone numbers)
        )
        _ping_rested_connections(self.engine, ping_after_idle_s)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine,
            expire_on_commit=False,
            autoflush=False,
        )

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _ping_rested_connections(engine: AsyncEngine, after_s: float) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _rested_since(dbapi_connection, record) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_rested(dbapi_connection, record, proxy) -> None:
        since = record.info.get("checked_in")
        if since is None or time.monotonic() - since < after_s:
            return  # new, or back in the pool a moment ago
        try:
            dbapi_connection.ping()  # runs inside the engine's greenlet, like pool_pre_ping's
        except Exception as exc:
            raise DisconnectionError("pooled connection failed its ping") from exc  # the pool takes another


def unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database (or the network to it) was unreachable or shutting
    down — a failure of the infrastructure, not of the work being done."""
    import asyncpg.exceptions as pg
    from sqlalchemy.exc import DBAPIError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(
            current,
            (
                OSError,
                pg.PostgresConnectionError,
                pg.InterfaceError,
                pg.CannotConnectNowError,
                pg.AdminShutdownError,
                pg.CrashShutdownError,
            ),
        ):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


async def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist (connects to ``postgres``)."""
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", hide_parameters=True)
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not found:
                await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await admin.dispose()


async def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", hide_parameters=True)
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        await admin.dispose()
