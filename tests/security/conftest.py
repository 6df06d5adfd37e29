"""The security suite (issue #9, S1–S7): all four services in-process on real PostgreSQL, RabbitMQ,
moto S3 and an SMTP sink (S2 drives the real stack behind nginx instead). Every test is marked
``security``; with ``CI=true`` a missing server fails instead of skipping (tests/support/servers.py)."""

from __future__ import annotations

import logging

import pytest

from tests.support.fleet import start_fleet


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/security/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.security)


logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log: thousands of lines


@pytest.fixture(scope="package")
async def fleet(settings_for, issuer):
    async with start_fleet(settings_for, issuer, "sec") as running_fleet:
        yield running_fleet
