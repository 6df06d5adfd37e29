"""One running certificates service per test module (own database, exchange, queues, buckets)."""

from __future__ import annotations

import pytest

from .support import start_service


@pytest.fixture(scope="module")
async def service(request, settings_for, issuer):
    tag = request.module.ISOLATION
    overrides = getattr(request.module, "SETTINGS", {})
    async for svc in start_service(settings_for, issuer, tag, **overrides):
        yield svc
