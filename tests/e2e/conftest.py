"""The stack as separate processes behind nginx, for end-to-end tests."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import BROKER_TAGS, RUN_ID
from tests.support.servers import IN_CI
from tests.support.stack import SERVICES, Stack


def nginx_or_skip() -> None:
    if shutil.which("nginx") or shutil.which("/usr/sbin/nginx"):
        return
    message = "nginx is not installed (apt-get install nginx-light)"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
async def stack(pg_server, pg_databases, amqp_url, s3, smtp_sink, dev_key):
    nginx_or_skip()
    tag = f"t{RUN_ID}.e2e"
    BROKER_TAGS.add(f"{tag}.")
    stack = Stack(
        pg_server=pg_server,
        amqp_url=amqp_url,
        s3=s3,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        dev_key=dev_key,
        tag=tag,
    )
    for service in SERVICES:
        pg_databases(f"e2e_{service}")  # registered for removal at the end
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    yield stack
    stack.stop()
