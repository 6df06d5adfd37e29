"""A scan copied by many: each copy flags the earlier ones and they flag it back, with bounded work —
at most MAX_DUPLICATES certificates named per item, and an item whose flags would not change is not written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.adapters.orm import review_items
from review.bootstrap import create_app, load_settings
from review.domain.rules import MAX_DUPLICATES
from review.service_layer.evaluation import Context, evaluate_items
from tests.support.apps import running

from .support import snapshot


@pytest.fixture(scope="module")
async def app(settings_for):
    app = create_app(load_settings(**settings_for("review", isolation="dupcascade", bus="inproc")))
    async with running(app):
        yield app


async def take(app, snap) -> None:
    async with app.state.runtime.uow() as uow:
        stored = await uow.items.upsert_many([snap])
        await evaluate_items(uow, await Context.of(uow), stored)
        await uow.commit()


async def row(app, certificate_id):
    async with app.state.runtime.db.sessions() as session:
        query = select(review_items).where(review_items.c.certificate_id == certificate_id)
        return (await session.execute(query)).first()


async def test_copies_flag_each_other_and_each_keeps_at_most_max_duplicates(app):
    scan = "3c3c3c3c3c3c3c3c"
    copies = [snapshot("s1100003" if n % 2 else "s1100001", "gept", scan_phash=scan) for n in range(MAX_DUPLICATES + 6)]
    for snap in copies:
        await take(app, snap)
    first, last = await row(app, copies[0].certificate_id), await row(app, copies[-1].certificate_id)
    assert str(copies[1].certificate_id) in {f["certificate_id"] for f in first.flags}  # flagged back
    second = await row(app, copies[1].certificate_id)
    assert str(copies[0].certificate_id) in {f["certificate_id"] for f in second.flags}
    for r in (first, last):
        named = {f["certificate_id"] for f in r.flags}
        assert 0 < len(named) <= MAX_DUPLICATES
        [dup] = [c for c in r.checklist if c["rule"] == "duplicates"]
        assert dup["passed"] is False and str(len(r.flags)) in dup["reason_en"]  # the checklist line follows the flags


async def test_evaluating_a_copy_again_rewrites_no_other_item(app):
    scan = "5a5a00ff5a5a00ff"
    a, b = snapshot("s1100001", "gept", scan_phash=scan), snapshot("s1100003", "gept", scan_phash=scan)
    await take(app, a)
    await take(app, b)
    before = (await row(app, a.certificate_id)).updated_at
    await take(app, b.model_copy(update={"version": b.version + 1}))
    assert (await row(app, a.certificate_id)).updated_at == before
    assert {f["certificate_id"] for f in (await row(app, a.certificate_id)).flags} == {str(b.certificate_id)}
