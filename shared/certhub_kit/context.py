"""The correlation id of the work in hand, shared by HTTP, events and logs."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

import structlog

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def bind_correlation_id(value: str | None = None) -> str:
    value = value or uuid.uuid4().hex
    _correlation_id.set(value)
    structlog.contextvars.bind_contextvars(correlation_id=value)
    return value
