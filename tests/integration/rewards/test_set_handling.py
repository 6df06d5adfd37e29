"""Rewards fed status changes in batches (one read, one multi-row upsert per run) ends where one
event at a time ends: the projection, and the applications a demoted certificate invalidates."""

from __future__ import annotations

import pytest

from rewards.adapters.orm import metadata
from rewards.bootstrap import create_app, load_settings
from tests.integration.rewards.support import GEPT, Clock, bank_key, seed_standards
from tests.support.apps import Clients
from tests.support.certificate_story import certificate_story
from tests.support.set_handling import both_ways, differences, inbox_of, kit_rows, table_rows

RANDOM_IDS = {"id", "seq", "application_id", "standard_id", "subject"}


async def dump(app) -> dict:
    rows = await table_rows(
        app, metadata, ["eligible_certificates", "applications", "application_certificates"], ignore=RANDOM_IDS
    )
    kit = await kit_rows(app, metadata)
    rows["outbox"] = sorted(kind for kind, _ in kit["outbox"])
    rows["audit_log"] = sorted(repr({k: v for k, v in r.items() if k not in RANDOM_IDS}) for r in kit["audit_log"])
    return rows


def approved_early(deliveries) -> list:
    """Status changes of GEPT certificates approved at version 2 (applied for before the rest arrives)."""
    return list(
        {
            e.id: e
            for e in deliveries
            if e.type == "certificate.status_changed.v1"
            and e.data["certificate"]["version"] == 2
            and e.data["certificate"]["status"] == "approved"
            and e.data["certificate"]["entry_key"] == "gept"
        }.values()
    )


@pytest.mark.parametrize("seed", (5, 3))
async def test_batches_end_where_one_at_a_time_ends(seed, settings_for, issuer):
    deliveries = certificate_story(seed=seed, certificates=60)
    early = approved_early(deliveries)
    assert len(early) >= 3

    def make(way: str):
        return create_app(
            load_settings(**settings_for("rewards", isolation=f"setrw{seed}{way}", bus="inproc", bank_key=bank_key())),
            clock=Clock(),
        )

    async def applied(app) -> None:
        """The early approvals arrive, and each student applies for the GEPT reward with one."""
        inbox, clients = inbox_of(app), Clients(app, issuer)
        for envelope in early:
            await inbox.process(envelope)
        standard = (await seed_standards(_World(clients), GEPT))[GEPT["name"]]
        for envelope in early:
            certificate = envelope.data["certificate"]
            async with clients.as_user(certificate["student"]["id"]) as client:
                response = await client.post(
                    "/api/rewards/applications",
                    json={"standard_id": standard["id"], "certificate_ids": [certificate["certificate_id"]]},
                )
                assert response.status_code == 201, response.text

    one, batched = await both_ways(make, deliveries, dump, prepare=applied)
    invalid = [a for a in one["applications"] if a["status"] == "invalid"]
    assert len(one["applications"]) == len(early) and invalid  # the ones approved, then rejected
    assert len(one["eligible_certificates"]) >= 40
    diffs = differences(one, batched)
    assert not diffs, "\n".join(diffs)


class _World:
    def __init__(self, clients: Clients):
        self.as_user = clients.as_user
