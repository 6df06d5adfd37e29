"""Running the rules on an item and storing its checklist and flags."""

from __future__ import annotations

import uuid

from ..domain.item import ReviewItem
from ..domain.rule_config import RuleConfig, config_for_year
from ..domain.rules import MAX_DUPLICATES, Evidence, evaluate
from ..domain.statuses import DRAFT, PASSING, REVIEWABLE
from ..domain.tracks import Track, TrackSetup
from .unit_of_work import ReviewUnitOfWork


class Context:
    """Tracks and rule versions loaded once per transaction."""

    def __init__(self, setup: TrackSetup, versions: list[RuleConfig]):
        self.setup = setup
        self.versions = versions

    @classmethod
    async def load(cls, uow: ReviewUnitOfWork) -> Context:
        return cls(await uow.tracks.load(), await uow.rules.versions())

    @classmethod
    async def of(cls, uow: ReviewUnitOfWork) -> Context:
        """The unit of work's context, loaded on first use: a batch of events reads it once."""
        if uow.context is None:
            uow.context = await cls.load(uow)
        return uow.context

    def track_of(self, item: ReviewItem) -> Track:
        return self.setup.track_for(item.category, item.dept)


async def bundle_members(uow: ReviewUnitOfWork, item: ReviewItem, *, lock: bool):
    """The (student, bundle) progress, merged with members already passing in the queue."""
    assert item.bundle is not None
    progress = await (uow.bundles.lock if lock else uow.bundles.peek)(item.student_id, item.bundle)
    for member in await uow.items.passing_bundle_members(item.student_id, item.bundle, set(PASSING)):
        if member not in progress.members:
            progress.members.append(member)
    return progress


async def evaluate_item(uow: ReviewUnitOfWork, ctx: Context, item: ReviewItem, *, cascade: bool = True) -> Track:
    """Evaluates and stores the checklist; with ``cascade`` also refreshes the certificates it
    duplicates, so both sides of a duplicate carry the flag."""
    track = await _assess(uow, ctx, item)
    await uow.items.save_review(item)
    if cascade:
        await _cascade(uow, ctx, item)
    return track


async def evaluate_items(uow: ReviewUnitOfWork, ctx: Context, evaluated: list[ReviewItem]) -> None:
    """``evaluate_item`` for many items, their checklists stored with one statement."""
    for item in evaluated:
        await _assess(uow, ctx, item)
    await uow.items.save_reviews(evaluated)
    for item in evaluated:
        await _cascade(uow, ctx, item)


async def _assess(uow: ReviewUnitOfWork, ctx: Context, item: ReviewItem) -> Track:
    """Runs the rules and sets the item's track, checklist and flags (not stored yet)."""
    track = ctx.track_of(item)
    config = config_for_year(ctx.versions, item.academic_year)
    evidence = Evidence(others=await uow.items.others_like(item, config.phash_threshold, MAX_DUPLICATES))
    if track.bundle_size(item.bundle):
        progress = await bundle_members(uow, item, lock=False)
        evidence.bundle_passed = len([m for m in progress.members if m != str(item.certificate_id)])
        evidence.bundle_complete = progress.complete
    results, flags = evaluate(item, track, config, evidence)
    item.track = track.name
    item.checklist = [r.as_dict() for r in results]
    item.flags = [f.as_dict() for f in flags]
    return track


async def _cascade(uow: ReviewUnitOfWork, ctx: Context, item: ReviewItem) -> None:
    for other_id in {f["certificate_id"] for f in item.flags}:
        await refresh(uow, ctx, other_id)


async def refresh(uow: ReviewUnitOfWork, ctx: Context, certificate_id) -> None:
    other = await uow.items.get(uuid.UUID(str(certificate_id)))
    if other is not None:
        await evaluate_item(uow, ctx, other, cascade=False)


async def reevaluate_open(uow: ReviewUnitOfWork) -> int:
    """After an admin changed tracks or rules: refresh the checklists of every open item."""
    ctx = await Context.load(uow)
    ids = await uow.items.ids_with_status(set(REVIEWABLE) | {DRAFT})
    for certificate_id in ids:
        await refresh(uow, ctx, certificate_id)
    return len(ids)
