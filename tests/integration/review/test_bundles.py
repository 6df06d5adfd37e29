"""Bundles over the broker: members wait in rereview, the N-th releases all — also when two arrive at once."""

from __future__ import annotations

import asyncio
from collections import Counter

from certhub_kit.auth import Principal
from review.service_layer.decide import decide as decide_use_case

from .support import confirmed, eventually, snapshot
from .test_ksu_and_nptu_flows import decide, original_checked


async def ready(world, username, entry_key):
    snap = snapshot(username, entry_key)
    await world.fed(confirmed(snap))
    return await original_checked(world, snap)


def decisions_for(world, snaps) -> dict[str, list[str]]:
    return {
        str(s.certificate_id): [d["decision"] for d in world.broker.of("review.decided.v1", s.certificate_id)]
        for s in snaps
    }


async def test_members_wait_in_rereview_until_the_third_passes(world):
    a, b, c = [await ready(world, "s1100002", key) for key in ("tqc-word", "tqc-excel", "tqc-powerpoint")]
    first = (await decide(world, "rev-im", a, "approved")).json()
    assert first["outcome"] == "rereview" and "1 of 3" in first["reason"]
    assert (await decide(world, "rev-im", b, "approved")).json()["outcome"] == "rereview"
    bundle_line = next(x for x in (await world.item(b.certificate_id))["checklist"] if x["rule"] == "bundle")
    assert not bundle_line["passed"]

    third = (await decide(world, "rev-im", c, "approved")).json()
    assert third["outcome"] in ("credit_pending", "recorded")
    assert sorted(r["certificate_id"] for r in third["released"]) == sorted(
        [str(a.certificate_id), str(b.certificate_id)]
    )
    await eventually(
        lambda: (
            all(len(v) >= 1 for v in decisions_for(world, [c]).values())
            and all(len(v) == 2 for v in decisions_for(world, [a, b]).values())
        )
    )
    outcomes = decisions_for(world, [a, b, c])
    assert outcomes[str(a.certificate_id)] == ["rereview", "credit_pending"]  # first IT certificate of the student
    assert outcomes[str(b.certificate_id)] == ["rereview", "recorded"]
    assert outcomes[str(c.certificate_id)] == ["recorded"]
    assert all(x["passed"] for x in (await world.item(a.certificate_id))["checklist"])


async def test_two_members_passing_at_once_release_the_bundle_exactly_once(world):
    """Over HTTP, concurrently: the (student, bundle) row lock counts them one after the other."""
    waiting, x, y = [await ready(world, "s1100003", key) for key in ("mos-word", "mos-excel", "mos-powerpoint")]
    assert (await decide(world, "rev-ee", waiting, "approved")).json()["outcome"] == "rereview"
    answers = await asyncio.gather(decide(world, "rev-ee", x, "approved"), decide(world, "rev-ee", y, "approved"))
    assert [r.status_code for r in answers] == [200, 200]
    assert sorted(r.json()["outcome"] == "rereview" for r in answers) == [False, True]  # one waits, one releases
    await eventually(lambda: sum(len(v) for v in decisions_for(world, [waiting, x, y]).values()) >= 5)
    await asyncio.sleep(0.3)
    passes = Counter(d for v in decisions_for(world, [waiting, x, y]).values() for d in v if d != "rereview")
    assert sum(passes.values()) == 3 and passes["credit_pending"] == 1  # each member passes exactly once


async def test_two_members_passing_at_once_in_the_service_layer(world):
    """Same race without HTTP: two transactions on two connections, on a fresh bundle of three."""
    first, second, third = [
        await ready(world, "s1100001", key) for key in ("tqc-word", "tqc-excel", "tqc-chinese-typing")
    ]
    reviewer = Principal(sub="rev-im", name="林審核", roles=frozenset({"reviewer"}), depts=("IM",))
    runtime = world.runtime

    async def approve(snap):
        return await runtime.transaction(
            lambda uow: decide_use_case(uow, reviewer, snap.certificate_id, "approved", None, snap.version)
        )

    assert (await approve(first)).outcome == "rereview"
    results = await asyncio.gather(approve(second), approve(third))
    released = [r for r in results if r.outcome != "rereview"]
    assert len(released) == 1 and len(released[0].released) == 2
    assert [r.outcome for r in results if r not in released] == ["rereview"]
