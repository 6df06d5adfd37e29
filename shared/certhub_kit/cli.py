"""``python -m <service> serve|migrate``, written once: every service's ``__main__`` calls :func:`main`."""

from __future__ import annotations

import asyncio
import importlib
import sys


def main(service: str, argv: list[str] | None = None) -> None:
    """``serve`` (uvicorn on the settings' host and port, the app built by ``<service>.bootstrap``, logging
    through the kit) or ``migrate`` (the service's Alembic chain, granting ``database_app_role``)."""
    argv = sys.argv[1:] if argv is None else argv
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    command = argv[0] if argv else "serve"
    settings = bootstrap.load_settings()
    if command == "migrate":
        from .migrate import upgrade

        asyncio.run(upgrade(bootstrap.MIGRATIONS, settings.database_url, app_role=settings.database_app_role))
    elif command == "serve":
        from .runtime import serve

        serve(f"{service}.bootstrap:create_app", settings)
    else:
        sys.exit(f"usage: python -m {service} serve|migrate (got {command!r})")
