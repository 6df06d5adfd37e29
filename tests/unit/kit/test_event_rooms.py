"""Each service's ``entrypoints/events.py::HANDLERS`` is the one table of what it consumes: its queue is
bound to exactly those types, its app's inbox runs exactly those handlers, and every type is a known event."""

from __future__ import annotations

import importlib
import inspect

import pytest

from certhub_kit.events import EVENT_TYPES
from certhub_kit.events.topology import subscriptions
from certhub_kit.inbox import SetHandler, with_deps
from certhub_kit.services import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_handled_type_is_bound_and_every_binding_has_a_handler(service):
    handlers = importlib.import_module(f"{service}.entrypoints.events").HANDLERS
    bound = subscriptions()[service]
    assert handlers, f"{service} consumes nothing"
    assert sorted(bound) == sorted(handlers)
    assert len(bound) == len(set(bound))
    assert all(event_type in EVENT_TYPES for event_type in handlers)
    assert all(isinstance(h, SetHandler) or callable(h) for h in handlers.values())


@pytest.mark.parametrize("service", SERVICES)
def test_the_app_consumes_the_same_table(service):
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    handlers = importlib.import_module(f"{service}.entrypoints.events").HANDLERS
    takes_settings = "settings" in inspect.signature(bootstrap.spec).parameters
    spec = bootstrap.spec(bootstrap.load_settings(env="test")) if takes_settings else bootstrap.spec()
    assert spec.handlers is handlers


def test_the_topology_names_every_service_and_no_other():
    assert list(subscriptions()) == list(SERVICES)


async def test_handlers_naming_deps_get_them_and_a_set_handler_stays_one():
    seen = []

    async def plain(payload, envelope, uow):
        seen.append(("plain", payload))

    async def needs(payload, envelope, uow, deps):
        seen.append(("needs", deps))

    async def batch(events, uow, deps):
        seen.append(("batch", deps))

    shared = SetHandler(batch)
    bound = with_deps({"a.v1": plain, "b.v1": needs, "c.v1": shared, "d.v1": shared}, deps="DEPS")
    assert bound["a.v1"] is plain and bound["c.v1"] is bound["d.v1"]
    await bound["b.v1"](1, None, None)
    await bound["c.v1"].handle([], None)
    assert seen == [("needs", "DEPS"), ("batch", "DEPS")]
