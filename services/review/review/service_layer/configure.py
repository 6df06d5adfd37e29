"""Use cases of the admin: tracks and their assignments, rule-config versions, the demo setup."""

from __future__ import annotations

from certhub_kit.auth import Principal
from certhub_kit.events.review import TrackAssignment, TracksUpdated

from ..domain.rule_config import DEFAULT_RULES, RuleConfig
from ..domain.tracks import FALLBACK, TrackSetup, demo_setup, next_steps_json
from .access import require_admin
from .evaluation import reevaluate_open
from .unit_of_work import ReviewUnitOfWork


def tracks_event(setup: TrackSetup) -> TracksUpdated:
    """All assignments, so the certificates service knows which need an email confirmation."""
    return TracksUpdated(
        assignments=[
            TrackAssignment(
                category=a.category,
                dept=a.dept,
                track=a.track,
                confirmation_required=setup.tracks[a.track].confirmation_required,
                sla_days=setup.tracks[a.track].sla_days,
            )
            for a in setup.assignments
        ]
    )


async def replace_tracks(uow: ReviewUnitOfWork, who: Principal, setup: TrackSetup) -> TrackSetup:
    require_admin(who)
    setup.validated()
    await uow.tracks.lock()
    before = await uow.tracks.load()
    await uow.tracks.replace(setup)
    await uow.emit(tracks_event(setup), subject="tracks")
    await uow.audit(
        "review.tracks_updated",
        actor_id=who.sub,
        subject="tracks",
        details={"before": setup_as_dict(before), "after": setup_as_dict(setup)},
    )
    await reevaluate_open(uow)
    return setup


async def seed_demo_tracks(uow: ReviewUnitOfWork) -> bool:
    """Standalone: the demo configuration (docs/product.md, "Review tracks"), once (and its event), when
    nothing is configured."""
    await uow.tracks.lock()
    if not await uow.tracks.is_empty():
        return False
    setup = demo_setup()
    await uow.tracks.replace(setup)
    await uow.emit(tracks_event(setup), subject="tracks")
    await uow.audit("review.tracks_seeded", actor_id="system", subject="tracks", details=setup_as_dict(setup))
    return True


async def put_rule_config(uow: ReviewUnitOfWork, who: Principal, config: RuleConfig) -> RuleConfig:
    require_admin(who)
    config.validated()
    await uow.rules.put(config, by=who.sub)
    await uow.audit(
        "review.rules_updated",
        actor_id=who.sub,
        subject=f"rules:{config.academic_year}",
        details=rule_config_as_dict(config),
    )
    await reevaluate_open(uow)
    return config


def setup_as_dict(setup: TrackSetup) -> dict:
    return {
        "tracks": [
            {
                "name": t.name,
                "confirmation_required": t.confirmation_required,
                "original_check_required": t.original_check_required,
                "credit_waiver": t.credit_waiver,
                "recognised": list(t.recognised) if t.recognised is not None else None,
                "bundles": dict(t.bundles),
                "sla_days": t.sla_days,
                "next_steps": next_steps_json(t),
            }
            for t in setup.tracks.values()
        ],
        "assignments": [{"category": a.category, "dept": a.dept, "track": a.track} for a in setup.assignments],
    }


def rule_config_as_dict(config: RuleConfig) -> dict:
    return {
        "academic_year": config.academic_year,
        "reporting_window_months": config.reporting_window_months,
        "window_applies_from": config.window_applies_from.isoformat(),
        "phash_threshold": config.phash_threshold,
        "dept_thresholds": {d: list(keys) for d, keys in config.dept_thresholds.items()},
    }


def defaults_as_dict() -> dict:
    return rule_config_as_dict(DEFAULT_RULES)


def next_steps_as_dict(setup: TrackSetup) -> dict:
    """What students may read: each track's next steps and which category/department is on which track."""
    return {
        "tracks": {t.name: next_steps_json(t) for t in setup.tracks.values()},
        "assignments": [{"category": a.category, "dept": a.dept, "track": a.track} for a in setup.assignments],
        "fallback": FALLBACK.name,
    }
