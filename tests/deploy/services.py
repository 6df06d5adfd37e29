"""The services every deployment must run, with each one's port: the kit's ``SERVICES`` list and each
service's own settings (its default ``port``), so the deploy tests name no service themselves."""

from __future__ import annotations

import importlib

from certhub_kit.services import SERVICES
from certhub_kit.settings import ServiceSettings


def default_port(service: str) -> int:
    module = importlib.import_module(f"{service}.settings")
    (settings,) = (
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, ServiceSettings) and value.__module__ == module.__name__
    )
    return int(settings.model_fields["port"].default)


PORTS: dict[str, int] = {service: default_port(service) for service in SERVICES}
