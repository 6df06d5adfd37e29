"""Rewards settings: the bank key is required and checked outside dev/test; the clock override is dev/test only."""

from __future__ import annotations

from datetime import datetime

import pytest

from rewards.domain.calendar import TAIPEI
from rewards.settings import RewardsSettings

PRODUCTION = dict(
    env="production",
    database_url="postgresql+asyncpg://x/y",
    amqp_url="amqp://x",
    oidc_issuer="https://sso/realms/certhub",
    oidc_audience="certhub",
)


def test_production_refuses_an_empty_or_bad_bank_key():
    production = PRODUCTION
    with pytest.raises(ValueError, match="BANK_KEY"):
        RewardsSettings(**production)
    with pytest.raises(ValueError, match="32 bytes"):
        RewardsSettings(**production, bank_key="c2hvcnQ=")
    assert RewardsSettings(env="test").bank_key == ""


def test_clock_override_is_for_dev_and_test_only():
    moment = datetime(2026, 4, 15, tzinfo=TAIPEI)
    assert RewardsSettings(env="test", clock_override=moment).clock_override == moment
    with pytest.raises(ValueError, match="CLOCK_OVERRIDE"):
        RewardsSettings(**PRODUCTION, bank_key="A" * 43 + "=", clock_override=moment)
