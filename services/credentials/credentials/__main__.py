"""`python -m credentials serve|migrate`."""

from __future__ import annotations

import asyncio
import sys


def main(argv: list[str]) -> None:
    from certhub_kit.migrate import upgrade

    from .bootstrap import MIGRATIONS, load_settings

    command = argv[0] if argv else "serve"
    settings = load_settings()
    if command == "migrate":
        asyncio.run(upgrade(MIGRATIONS, settings.database_url))
    elif command == "serve":
        import uvicorn

        uvicorn.run("credentials.bootstrap:create_app", factory=True, host=settings.host, port=settings.port,
                    log_level="warning", proxy_headers=True)
    else:
        sys.exit(f"usage: python -m credentials serve|migrate (got {command!r})")


if __name__ == "__main__":
    main(sys.argv[1:])
