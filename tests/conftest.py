"""Fixtures giving every test layer real PostgreSQL, RabbitMQ, S3 and SMTP.

Each test session gets its own databases (``t<run>_<service>``), exchange, queue
and bucket prefixes, removed at the end, so parallel sessions never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest

from certhub_kit.auth import DevIssuer, generate_dev_key
from certhub_kit.settings import ServiceSettings
from tests.support import servers

# Before any service is imported (the test modules): a field a view returns but its response model lacks
# is a 500 in the tests instead of a field silently dropped (certhub_kit.response_models).
os.environ.setdefault("CERTHUB_STRICT_RESPONSES", "1")

RUN_ID = uuid.uuid4().hex[:8]
BROKER_TAGS: set[str] = {f"t{RUN_ID}."}  # queue prefixes handed out; removed at the end


@pytest.fixture(scope="session")
def run_id() -> str:
    return RUN_ID


@pytest.fixture(scope="session")
def pg_server() -> str:
    return servers.postgres_server_url()


@pytest.fixture(scope="session")
async def pg_databases(pg_server: str):
    """Hands out database URLs named for this session; drops them all at the end."""
    from certhub_kit.db import drop_database

    made: list[str] = []

    def database_url(name: str) -> str:
        url = f"{pg_server}/t{RUN_ID}_{name}"
        made.append(url)
        return url

    yield database_url
    for url in made:
        try:
            await drop_database(url)
        except Exception:
            pass


@pytest.fixture(scope="session")
async def amqp_url() -> str:
    url = servers.amqp_url()
    yield url
    await _delete_broker_objects(url)


async def _delete_broker_objects(url: str) -> None:
    from tests.support.broker import delete_broker_objects

    tags = sorted(BROKER_TAGS)
    await delete_broker_objects(url, tags, [f"certhub.events.{tag.rstrip('.')}" for tag in tags])


@pytest.fixture(scope="session")
def s3():
    server = servers.s3_server()
    yield server
    if server.stop:
        server.stop()


@pytest.fixture(scope="session")
def smtp_sink():
    sink = servers.SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def dev_key() -> str:
    return generate_dev_key()


@pytest.fixture(scope="session")
def issuer(dev_key: str) -> DevIssuer:
    return DevIssuer(dev_key)


@pytest.fixture(scope="session")
def settings_for(pg_databases, amqp_url, s3, smtp_sink, dev_key) -> Callable[..., dict]:
    """Settings (as keyword arguments) for a service in this test session.

    ``settings_for("certificates", isolation="x")`` gives that service its own
    database ``t<run>_certificates_x`` and, with ``isolation``, its own exchange
    and queue names — a fresh world for one test module.
    """

    def make(service: str, *, isolation: str = "", bus: str = "rabbit", **overrides) -> dict:
        suffix = f"_{isolation}" if isolation else ""
        tag = f"t{RUN_ID}.{isolation}." if isolation else f"t{RUN_ID}."
        BROKER_TAGS.add(tag)
        values = dict(
            env="test",
            auth_mode="dev",
            dev_signing_key=dev_key,
            database_url=pg_databases(f"{service}{suffix}"),
            amqp_url=amqp_url if bus == "rabbit" else "",
            events_exchange=f"certhub.events.{tag.rstrip('.')}",
            queue_prefix=tag,
            s3_endpoint=s3.endpoint,
            s3_access_key=s3.access_key,
            s3_secret_key=s3.secret_key,
            s3_region=s3.region,
            bucket_prefix=f"t{RUN_ID}{isolation.replace('_', '')}-".lower(),
            public_base_url="http://certhub.test",
            relay_interval_s=0.1,
            consumer_retry_delay_ms=200,
            log_json=False,
            smtp_host=smtp_sink.host,
            smtp_port=smtp_sink.port,
        )
        values.update(overrides)
        return values

    return make


@pytest.fixture(scope="session")
def kit_settings(settings_for) -> Callable[..., ServiceSettings]:
    def make(service: str = "kit", **kw) -> ServiceSettings:
        return ServiceSettings(**settings_for(service, **kw))

    return make


# --- no test module may be all skips under CI ------------------------------------------------------
# A module whose every test skipped proves nothing; on CI (CI=true, tests/support/servers.py) that fails
# the run, named, so a missing tool or server cannot pass as green.
_OUTCOMES: dict[str, dict[str, str]] = {}  # module path -> test id -> "skipped" | "ran"


def pytest_collectreport(report):
    if report.skipped and report.nodeid.endswith(".py"):  # pytest.skip(allow_module_level=True)
        _OUTCOMES.setdefault(report.nodeid, {})[report.nodeid] = "skipped"


def pytest_runtest_logreport(report):
    module = report.nodeid.split("::", 1)[0]
    outcomes = _OUTCOMES.setdefault(module, {})
    if report.skipped and not hasattr(report, "wasxfail"):
        outcomes[report.nodeid] = "skipped"
    elif report.when == "call" or report.failed:
        outcomes.setdefault(report.nodeid, "ran")


def all_skipped_modules() -> list[str]:
    return sorted(m for m, tests in _OUTCOMES.items() if tests and all(o == "skipped" for o in tests.values()))


def pytest_sessionfinish(session, exitstatus):
    servers.stop_containers()
    skipped = all_skipped_modules()
    if servers.IN_CI and skipped:
        print(f"\nCI=true: every test of these modules was skipped: {', '.join(skipped)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
