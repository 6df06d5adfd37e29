"""Tracks, their assignments and the rule-config versions, as the admin saved them."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.rule_config import RuleConfig
from ..domain.tracks import Assignment, NextStep, Track, TrackSetup, next_steps_json
from .orm import review_tracks, rule_configs, track_assignments


class TrackRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def load(self) -> TrackSetup:
        tracks = {
            r.name: Track(
                name=r.name,
                confirmation_required=r.confirmation_required,
                original_check_required=r.original_check_required,
                credit_waiver=r.credit_waiver,
                recognised=tuple(r.recognised) if r.recognised is not None else None,
                bundles=dict(r.bundles or {}),
                sla_days=r.sla_days,
                next_steps={k: NextStep(v.get("zh", ""), v.get("en", "")) for k, v in (r.next_steps or {}).items()},
            )
            for r in (await self.session.execute(select(review_tracks).order_by(review_tracks.c.name))).all()
        }
        rows = (
            await self.session.execute(
                select(track_assignments).order_by(track_assignments.c.category, track_assignments.c.dept)
            )
        ).all()
        assignments = tuple(Assignment(category=r.category, track=r.track, dept=r.dept or None) for r in rows)
        return TrackSetup(tracks=tracks, assignments=assignments)

    async def lock(self) -> None:
        """Serialises configuration writers (admins saving, replicas seeding the demo) until commit."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('review.tracks'))"))

    async def is_empty(self) -> bool:
        return await self.session.scalar(select(review_tracks.c.name).limit(1)) is None

    async def replace(self, setup: TrackSetup) -> None:
        """The whole configuration at once (an admin saves the full table)."""
        await self.session.execute(delete(track_assignments))
        await self.session.execute(delete(review_tracks))
        if setup.tracks:
            await self.session.execute(
                insert(review_tracks),
                [
                    dict(
                        name=t.name,
                        confirmation_required=t.confirmation_required,
                        original_check_required=t.original_check_required,
                        credit_waiver=t.credit_waiver,
                        recognised=list(t.recognised) if t.recognised is not None else None,
                        bundles=t.bundles,
                        sla_days=t.sla_days,
                        next_steps=next_steps_json(t),
                    )
                    for t in setup.tracks.values()
                ],
            )
        if setup.assignments:
            await self.session.execute(
                insert(track_assignments),
                [dict(category=a.category, dept=a.dept or "", track=a.track) for a in setup.assignments],
            )


class RuleConfigRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def versions(self) -> list[RuleConfig]:
        rows = (await self.session.execute(select(rule_configs).order_by(rule_configs.c.academic_year))).all()
        return [
            RuleConfig(
                academic_year=r.academic_year,
                reporting_window_months=r.reporting_window_months,
                window_applies_from=r.window_applies_from,
                phash_threshold=r.phash_threshold,
                dept_thresholds={d: tuple(keys) for d, keys in (r.dept_thresholds or {}).items()},
            )
            for r in rows
        ]

    async def put(self, config: RuleConfig, *, by: str) -> None:
        values = dict(
            reporting_window_months=config.reporting_window_months,
            window_applies_from=config.window_applies_from,
            phash_threshold=config.phash_threshold,
            dept_thresholds={d: list(keys) for d, keys in config.dept_thresholds.items()},
            updated_by=by,
        )
        await self.session.execute(
            pg_insert(rule_configs)
            .values(academic_year=config.academic_year, **values)
            .on_conflict_do_update(index_elements=[rule_configs.c.academic_year], set_=values)
        )
