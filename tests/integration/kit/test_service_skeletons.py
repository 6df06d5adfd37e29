"""Every service starts on real PostgreSQL, RabbitMQ and S3, migrates, and answers its probes."""

from __future__ import annotations

import importlib

import pytest

from certhub_kit.services import SERVICES
from tests.support.apps import Clients, running


@pytest.mark.parametrize("service", SERVICES)
async def test_service_starts_migrates_and_reports_ready(service, settings_for, issuer):
    module = importlib.import_module(f"{service}.bootstrap")
    settings = module.load_settings(**settings_for(service, isolation="skel"))
    app = module.create_app(settings)
    async with running(app), Clients(app, issuer).anonymous() as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] is True
        assert ready.json()["checks"]["broker"] is True
        metrics = await client.get("/metrics")
        assert "certhub_http_requests_total" in metrics.text
