"""Review tracks (simple / verified with options) and their assignment to categories and departments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from certhub_kit.errors import Invalid

TRACK_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
BUNDLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$")
DEFAULT_SLA_DAYS = 7
MAX_SLA_DAYS = 365
# Certificate statuses a track may give its own next-step text for (certificates' domain.status).
NEXT_STEP_STATUSES = (
    "draft",
    "submitted",
    "verifying",
    "rereview",
    "rejected",
    "credit_pending",
    "approved",
    "recorded",
)
MAX_NEXT_STEP_CHARS = 300


@dataclass(frozen=True)
class NextStep:
    """What a student on this track is told to do next at one status, in both languages."""

    zh: str
    en: str = ""


@dataclass(frozen=True)
class Track:
    """How certificates of some categories are reviewed (docs/product.md, "Review tracks")."""

    name: str
    confirmation_required: bool = False
    original_check_required: bool = False
    credit_waiver: bool = False
    recognised: tuple[str, ...] | None = None  # catalog entry keys; None = every entry is recognised
    bundles: dict[str, int] = field(default_factory=dict)  # bundle → passing entries needed
    sla_days: int = DEFAULT_SLA_DAYS  # days a reviewable stage may take before the item is overdue
    next_steps: dict[str, NextStep] = field(default_factory=dict)  # certificate status → the student's next step

    def recognises(self, entry_key: str) -> bool:
        return self.recognised is None or entry_key in self.recognised

    def bundle_size(self, bundle: str | None) -> int | None:
        return self.bundles.get(bundle) if bundle else None


def next_steps_json(track: Track) -> dict[str, dict[str, str]]:
    return {status: {"zh": step.zh, "en": step.en} for status, step in track.next_steps.items()}


@dataclass(frozen=True)
class Assignment:
    category: int
    track: str
    dept: str | None = None  # None = every department without its own override


# Items of a category nobody assigned are reviewed on this track.
FALLBACK = Track(name="simple")


@dataclass(frozen=True)
class TrackSetup:
    """All tracks and assignments of a school; resolves the track of one item."""

    tracks: dict[str, Track]
    assignments: tuple[Assignment, ...]

    def track_for(self, category: int, dept: str | None) -> Track:
        general = None
        for assignment in self.assignments:
            if assignment.category != category:
                continue
            if assignment.dept is not None and assignment.dept == dept:
                return self.tracks[assignment.track]
            if assignment.dept is None:
                general = assignment
        if general is not None:
            return self.tracks[general.track]
        return self.tracks.get(FALLBACK.name, FALLBACK)

    def validated(self) -> TrackSetup:
        """Raises :class:`Invalid` (zh-TW + English) for a setup an admin must not save."""
        for name, track in self.tracks.items():
            if name != track.name or not TRACK_NAME.match(name):
                raise Invalid(f"審核流程名稱不正確：{name}", f"Invalid track name: {name}", code="invalid_track")
            if not 1 <= track.sla_days <= MAX_SLA_DAYS:
                raise Invalid(
                    f"審核流程 {name} 的處理期限需介於 1 到 {MAX_SLA_DAYS} 天",
                    f"The SLA of track {name} must be 1 to {MAX_SLA_DAYS} days",
                    code="invalid_sla",
                )
            for bundle, size in track.bundles.items():
                if not BUNDLE_NAME.match(bundle) or not 1 <= size <= 20:
                    raise Invalid(
                        f"套組設定不正確：{bundle}（張數需介於 1 到 20）",
                        f"Invalid bundle {bundle} (size must be 1 to 20)",
                        code="invalid_bundle",
                    )
            for status, step in track.next_steps.items():
                if status not in NEXT_STEP_STATUSES:
                    raise Invalid(
                        f"審核流程 {name} 的下一步狀態不正確：{status}",
                        f"Track {name}: unknown status for a next step: {status}",
                        code="invalid_next_step",
                    )
                if not step.zh.strip() or len(step.zh) > MAX_NEXT_STEP_CHARS or len(step.en) > MAX_NEXT_STEP_CHARS:
                    raise Invalid(
                        f"審核流程 {name} 的下一步說明需填寫中文，且每種語言至多 {MAX_NEXT_STEP_CHARS} 字",
                        f"Track {name}: a next step needs the Chinese text and at most "
                        f"{MAX_NEXT_STEP_CHARS} characters per language",
                        code="invalid_next_step",
                    )
        seen: set[tuple[int, str | None]] = set()
        for assignment in self.assignments:
            if assignment.track not in self.tracks:
                raise Invalid(
                    f"指派到不存在的審核流程：{assignment.track}",
                    f"Assignment to an unknown track: {assignment.track}",
                    code="unknown_track",
                )
            key = (assignment.category, assignment.dept)
            if key in seen:
                raise Invalid(
                    f"類別 {assignment.category} 的指派重複",
                    f"Category {assignment.category} is assigned twice"
                    + (f" for {assignment.dept}" if assignment.dept else ""),
                    code="duplicate_assignment",
                )
            seen.add(key)
        return self


def demo_setup(categories: tuple[int, ...] = (1, 2, 3, 4, 5)) -> TrackSetup:
    """The demo (docs/product.md, "Review tracks"): 資訊 (3) → verified with every option and bundles
    MOS 3 / TQC 3; the rest → simple."""
    simple = Track(name="simple")
    verified = Track(
        name="verified",
        confirmation_required=True,
        original_check_required=True,
        credit_waiver=True,
        recognised=None,
        bundles={"MOS": 3, "TQC": 3},
        next_steps={
            "submitted": NextStep(
                "請攜帶正本至電算中心掃描，等候系所審核。",
                "Bring the original to the computer centre to be scanned; then wait for the department's review.",
            )
        },
    )
    assignments = tuple(Assignment(category=c, track="verified" if c == 3 else "simple") for c in categories)
    return TrackSetup(tracks={"simple": simple, "verified": verified}, assignments=assignments)
