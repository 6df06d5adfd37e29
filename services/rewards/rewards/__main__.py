"""`python -m rewards serve|migrate`."""

from __future__ import annotations

import asyncio
import sys


def main(argv: list[str]) -> None:
    from certhub_kit.migrate import upgrade

    from .bootstrap import MIGRATIONS, load_settings

    command = argv[0] if argv else "serve"
    settings = load_settings()
    if command == "migrate":
        asyncio.run(upgrade(MIGRATIONS, settings.database_url, app_role=settings.database_app_role))
    elif command == "serve":
        from certhub_kit.runtime import serve

        serve("rewards.bootstrap:create_app", settings)
    else:
        sys.exit(f"usage: python -m rewards serve|migrate (got {command!r})")


if __name__ == "__main__":
    main(sys.argv[1:])
