"""``unavailable``: a database outage is told apart from a failing handler (the broker then
retries without spending the event's attempts; see tests/reliability/test_r1_faults.py)."""

from __future__ import annotations

import asyncpg.exceptions as pg
from sqlalchemy.exc import DBAPIError, IntegrityError

from certhub_kit.db import unavailable


def wrapped(inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise RuntimeError("handler failed") from exc
    except RuntimeError as outer:
        return outer


def test_outages_are_infrastructure_failures():
    assert unavailable(ConnectionRefusedError(111, "refused"))
    assert unavailable(wrapped(pg.ConnectionDoesNotExistError("connection was closed")))
    assert unavailable(wrapped(pg.AdminShutdownError("terminating connection due to administrator command")))
    assert unavailable(wrapped(pg.CannotConnectNowError("the database system is starting up")))
    assert unavailable(DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True))


def test_handler_and_data_errors_are_not():
    assert not unavailable(ValueError("poison event 13"))
    assert not unavailable(wrapped(KeyError("missing")))
    assert not unavailable(IntegrityError("INSERT", {}, pg.UniqueViolationError("duplicate key")))
