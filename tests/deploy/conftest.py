"""The compose file as the deploy tests read it (text, parsed, its services)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture(scope="module")
def raw() -> str:
    return COMPOSE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(raw: str) -> dict:
    return yaml.safe_load(raw)


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]
