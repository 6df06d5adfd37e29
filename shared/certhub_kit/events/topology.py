"""Which service consumes which event types — derived from each service's ``entrypoints/events.py::HANDLERS``
(one source of truth: what a service handles is what its queue is bound to).

Every service declares the whole topology on start, so an event is never
unroutable because its consumer has not started yet; every image holds every
service's package (deploy/Dockerfile), so each can read the others' tables.
"""

from __future__ import annotations

import functools
from importlib import import_module
from typing import Any

from ..services import SERVICES


@functools.cache
def subscriptions() -> dict[str, list[str]]:
    """``{service: [event type, …]}`` for every service, from its ``HANDLERS`` keys."""
    return {service: list(import_module(f"{service}.entrypoints.events").HANDLERS) for service in SERVICES}


def __getattr__(name: str) -> Any:  # ``SUBSCRIPTIONS``: read on first use (the services import this kit)
    if name == "SUBSCRIPTIONS":
        return subscriptions()
    raise AttributeError(name)


def queue_name(service: str, prefix: str = "") -> str:
    return f"{prefix}{service}.events"
