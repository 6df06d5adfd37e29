"""Running the rules on an item and storing its checklist and flags."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from certhub_kit.department_copy import DepartmentNames

from ..domain.item import ReviewItem
from ..domain.rule_config import RuleConfig, config_for_year
from ..domain.rules import DUPLICATES, MAX_DUPLICATES, Evidence, OtherCertificate, duplicate_flags, duplicates, evaluate
from ..domain.statuses import DRAFT, PASSING, REVIEWABLE
from ..domain.tracks import Track, TrackSetup
from .unit_of_work import ReviewUnitOfWork


class Context:
    """Tracks, rule versions and department names loaded once per transaction."""

    def __init__(self, setup: TrackSetup, versions: list[RuleConfig], names: DepartmentNames | None = None):
        self.setup = setup
        self.versions = versions
        self.names = names or DepartmentNames({})

    @classmethod
    async def load(cls, uow: ReviewUnitOfWork) -> Context:
        return cls(await uow.tracks.load(), await uow.rules.versions(), await uow.departments.names())

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
    config = replace(config_for_year(ctx.versions, item.academic_year), dept_names=ctx.names.names)
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
    """The certificates this one duplicates get (or keep) their flags naming it: one read of them all,
    one write of those whose flags change, and no re-running of their other rules. An item keeps at
    most ``MAX_DUPLICATES`` certificates in its flags: a scan copied by thousands costs each event a
    bounded amount of work, not a re-check of every copy."""
    ids = sorted({uuid.UUID(str(f["certificate_id"])) for f in item.flags})
    mine = str(item.certificate_id)
    me = OtherCertificate(mine, item.student_id, item.certificate_no, item.scan_phash, item.dept)
    changed, stale = [], []
    for other in await uow.items.many(ids):
        kept = [f for f in other.flags or [] if f.get("certificate_id") != mine]
        held = [f for f in other.flags or [] if f.get("certificate_id") == mine]
        named = {f.get("certificate_id") for f in kept}
        if len(named) >= MAX_DUPLICATES:
            continue  # full: it shows enough duplicates already
        threshold = config_for_year(ctx.versions, other.academic_year).phash_threshold
        naming_me = [f.as_dict() for f in duplicate_flags(other, [me], threshold)]
        if sorted(map(_canonical, naming_me)) == sorted(map(_canonical, held)):
            continue  # what it says about this certificate is already right
        flags = kept + naming_me
        checklist = other.checklist or []
        at = next((n for n, r in enumerate(checklist) if r.get("rule") == DUPLICATES), None)
        if at is None:
            stale.append(other.certificate_id)  # never evaluated: run every rule on it
            continue
        other.flags = flags
        other.checklist = [*checklist[:at], duplicates(flags).as_dict(), *checklist[at + 1 :]]
        changed.append(other)
    await uow.items.save_reviews(changed)
    for certificate_id in stale:
        await refresh(uow, ctx, certificate_id)


def _canonical(flag: dict) -> str:
    return json.dumps(flag, sort_keys=True, ensure_ascii=False)


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


async def reevaluate_dept(uow: ReviewUnitOfWork, dept: str) -> int:
    """After a department was renamed: refresh the checklists of its open items (they name it)."""
    ctx = await Context.of(uow)
    ids = await uow.items.ids_with_status(set(REVIEWABLE) | {DRAFT}, dept=dept)
    for certificate_id in ids:
        await refresh(uow, ctx, certificate_id)
    return len(ids)
