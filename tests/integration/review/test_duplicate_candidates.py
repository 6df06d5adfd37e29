"""Duplicate candidates are found in the database: near scans of other students (by Hamming distance
of the perceptual hash, under the year's threshold) and equal certificate numbers — never the whole queue."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import select

from review.adapters.orm import review_items
from review.bootstrap import create_app, load_settings
from review.domain.rules import phash_bands
from tests.support.apps import running

from .support import snapshot


def flip(phash: str, bits: int) -> str:
    """The hash with its lowest ``bits`` bits inverted (a scan ``bits`` away)."""
    return f"{int(phash, 16) ^ ((1 << bits) - 1):016x}"


@pytest.fixture(scope="module")
async def app(settings_for):
    app = create_app(load_settings(**settings_for("review", isolation="dupcand", bus="inproc")))
    async with running(app):
        yield app


async def stored(app, *snapshots) -> list:
    async with app.state.runtime.uow() as uow:
        items = await uow.items.upsert_many(list(snapshots))
        await uow.commit()
    return items


async def test_only_near_scans_of_other_students_and_equal_numbers_come_back(app):
    mine = "a5a5a5a5a5a5a5a5"
    [item] = await stored(app, snapshot("s1100001", "toeic-lr", scan_phash=mine, certificate_no="T-42"))
    near = snapshot("s1100003", "toeic-lr", scan_phash=flip(mine, 6))
    far = [snapshot("s1100003", "toeic-lr", scan_phash=flip(mine, 7 + n)) for n in range(20)]
    own = snapshot("s1100001", "gept", scan_phash=mine)  # the same student's other scan is not a duplicate
    number = snapshot("s1100002", "gept", certificate_no=" t-42 ")
    broken = snapshot("s1100002", "gept", scan_phash="not-hex-at-all!!")
    await stored(app, near, *far, own, number, broken)
    async with app.state.runtime.uow() as uow:
        found = {o.certificate_id for o in await uow.items.others_like(item, 6, 20)}
        strict = {o.certificate_id for o in await uow.items.others_like(item, 5, 20)}
    assert found == {str(near.certificate_id), str(number.certificate_id)}
    assert strict == {str(number.certificate_id)}


async def test_a_malformed_hash_on_the_item_looks_only_at_numbers(app):
    [item] = await stored(app, snapshot("s1100002", "toeic-lr", scan_phash="zz", certificate_no=f"N-{uuid.uuid4()}"))
    async with app.state.runtime.uow() as uow:
        assert await uow.items.others_like(item, 32, 20) == []


async def test_a_scan_like_many_others_is_compared_with_the_nearest_only(app):
    template = "0123456789abcdef"
    [item] = await stored(app, snapshot("s1100001", "gept", scan_phash=template, certificate_no="G-7"))
    look_alikes = [snapshot("s1100003", "gept", scan_phash=flip(template, n % 5)) for n in range(30)]
    same_number = snapshot("s1100002", "gept", certificate_no="g-7")
    await stored(app, *look_alikes, same_number)
    async with app.state.runtime.uow() as uow:
        nearest = await uow.items.others_like(item, 6, 20)
    assert len(nearest) == 20
    assert nearest[0].certificate_id == str(same_number.certificate_id)  # the same number comes first
    distances = [bin(int(o.scan_phash, 16) ^ int(template, 16)).count("1") for o in nearest[1:]]
    assert distances == sorted(distances) and 4 not in distances and distances.count(3) == 1  # then the closest


async def test_the_band_index_finds_exactly_what_measuring_every_scan_finds(app):
    """Random scans near and far from a few centres: the banded search (threshold ≤ 6) returns the
    same scans as measuring the distance to every stored one, and the database bands are the domain's."""
    rng = random.Random(4)
    centres = [f"{rng.getrandbits(64):016x}" for _ in range(4)]
    others = []
    for centre in centres:
        for _ in range(40):
            bits = rng.sample(range(64), rng.randint(0, 9))
            others.append(
                snapshot("s1100003", "toeic-lr", scan_phash=f"{int(centre, 16) ^ sum(1 << b for b in bits):016x}")
            )
    await stored(app, *others)
    async with app.state.runtime.db.sessions() as session:
        rows = (
            await session.execute(
                select(review_items.c.scan_phash, review_items.c.scan_bands).where(
                    review_items.c.scan_phash.in_([o.scan_phash for o in others])
                )
            )
        ).all()
    assert all(r.scan_bands == phash_bands(r.scan_phash) for r in rows)
    for centre in centres:
        [item] = await stored(app, snapshot("s1100001", "toeic-lr", scan_phash=centre))
        for threshold in (3, 6):
            expected = {
                str(o.certificate_id)
                for o in others
                if bin(int(o.scan_phash, 16) ^ int(centre, 16)).count("1") <= threshold
            }
            async with app.state.runtime.uow() as uow:
                found = {o.certificate_id for o in await uow.items.others_like(item, threshold, 1000)}
            assert found == expected and expected, (centre, threshold)
