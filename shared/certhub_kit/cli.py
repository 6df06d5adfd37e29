"""``python -m <service> serve|migrate``, written once: a service's ``__main__`` calls :func:`run`."""

from __future__ import annotations

import asyncio
import importlib
import sys


def run(service: str, argv: list[str]) -> None:
    """``serve`` (uvicorn on the settings' host and port, the app built by ``<service>.bootstrap``)
    or ``migrate`` (the service's Alembic chain)."""
    from .migrate import upgrade

    bootstrap = importlib.import_module(f"{service}.bootstrap")
    command = argv[0] if argv else "serve"
    settings = bootstrap.load_settings()
    if command == "migrate":
        asyncio.run(upgrade(bootstrap.MIGRATIONS, settings.database_url))
    elif command == "serve":
        import uvicorn

        uvicorn.run(f"{service}.bootstrap:create_app", factory=True, host=settings.host, port=settings.port,
                    log_level="warning", proxy_headers=True)
    else:
        sys.exit(f"usage: python -m {service} serve|migrate (got {command!r})")
