"""Request bodies of the review API (responses are plain dicts built by the service layer)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..domain.graduation import Alternative, Rule, RuleSet
from ..domain.reasons import RejectReason
from ..domain.rule_config import RuleConfig
from ..domain.tracks import DEFAULT_SLA_DAYS, MAX_NEXT_STEP_CHARS, MAX_SLA_DAYS, Assignment, NextStep, Track, TrackSetup


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: str = Field(min_length=1, max_length=32)
    reason: str | None = Field(default=None, max_length=2000)
    reason_code: str | None = Field(
        default=None,
        max_length=40,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="a code of GET /api/review/reasons (rejections only); the reason's label is put before `reason`",
    )
    version: int = Field(
        ge=1,
        le=2_147_483_647,
        description="the certificate version the reviewer saw (the queue "
        "item's `version`); a decision on a changed certificate is a 409 `certificate_changed`",
    )


class BulkDecisionIn(DecisionIn):
    certificate_id: uuid.UUID


BundleName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$")]  # domain.tracks


NextStepStatus = Literal[
    "draft", "submitted", "verifying", "rereview", "rejected", "credit_pending", "approved", "recorded"
]  # domain.tracks.NEXT_STEP_STATUSES


class NextStepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str = Field(min_length=1, max_length=MAX_NEXT_STEP_CHARS, pattern=r"\S", description="the text in zh-TW")
    en: str = Field("", max_length=MAX_NEXT_STEP_CHARS, description="the text in English (empty: the zh-TW one)")


class TrackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]{0,39}$")  # domain.tracks.TRACK_NAME
    confirmation_required: bool = False
    original_check_required: bool = False
    credit_waiver: bool = False
    recognised: list[str] | None = Field(default=None, max_length=5000)
    bundles: dict[BundleName, Annotated[int, Field(ge=1, le=20)]] = Field(
        default_factory=dict, max_length=100, json_schema_extra={"additionalProperties": False}
    )
    sla_days: int = Field(
        DEFAULT_SLA_DAYS,
        ge=1,
        le=MAX_SLA_DAYS,
        description="days each reviewable stage may take before the item is overdue",
    )
    next_steps: dict[NextStepStatus, NextStepIn] = Field(
        default_factory=dict, description="certificate status → what a student on this track does next"
    )


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: int = Field(ge=0, le=999)
    dept: str | None = Field(default=None, max_length=32)
    track: str = Field(min_length=1, max_length=40)


class TracksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tracks: list[TrackIn] = Field(max_length=50)
    assignments: list[AssignmentIn] = Field(max_length=2000)

    def to_setup(self) -> TrackSetup:
        tracks = {
            t.name: Track(
                name=t.name,
                confirmation_required=t.confirmation_required,
                original_check_required=t.original_check_required,
                credit_waiver=t.credit_waiver,
                recognised=tuple(t.recognised) if t.recognised is not None else None,
                bundles=dict(t.bundles),
                sla_days=t.sla_days,
                next_steps={k: NextStep(v.zh.strip(), v.en.strip()) for k, v in t.next_steps.items()},
            )
            for t in self.tracks
        }
        assignments = tuple(
            Assignment(category=a.category, track=a.track, dept=(a.dept or None)) for a in self.assignments
        )
        return TrackSetup(tracks=tracks, assignments=assignments)


# A department code and a catalog entry key (certificates' catalog KEY rule): printable, no NUL for PostgreSQL.
DeptCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,20}$")]
EntryKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]


class RuleConfigIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reporting_window_months: int = Field(6, ge=1, le=120)
    window_applies_from: date = date(2014, 2, 1)
    phash_threshold: int = Field(6, ge=0, le=32)
    dept_thresholds: dict[DeptCode, list[EntryKey]] = Field(
        default_factory=dict, max_length=200, json_schema_extra={"additionalProperties": False}
    )

    def to_config(self, academic_year: int) -> RuleConfig:
        return RuleConfig(
            academic_year=academic_year,
            reporting_window_months=self.reporting_window_months,
            window_applies_from=self.window_applies_from,
            phash_threshold=self.phash_threshold,
            dept_thresholds={d: tuple(keys) for d, keys in self.dept_thresholds.items()},
        )


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    label: str = Field(min_length=1, max_length=100, pattern=r"\S")
    label_en: str = Field(min_length=1, max_length=200, pattern=r"\S")
    instruction: str = Field(min_length=1, max_length=2000, pattern=r"\S")
    instruction_en: str = Field(min_length=1, max_length=2000, pattern=r"\S")
    active: bool = True


class ReasonsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: list[ReasonIn] = Field(max_length=200)

    def to_reasons(self) -> list[RejectReason]:
        return [RejectReason(**r.model_dump()) for r in self.reasons]


class AlternativeIn(BaseModel):
    """``count`` passed certificates matching every condition given (none given: any certificate)."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(1, ge=1, le=20)
    category: int | None = Field(None, ge=0, le=999)
    entries: list[EntryKey] = Field(default_factory=list, max_length=500)
    it_certificate: bool | None = None
    min_cefr: str | None = Field(None, pattern=r"^[ABC][12]$")


class ThresholdRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    name_en: str = Field(min_length=1, max_length=200, pattern=r"\S")
    any_of: list[AlternativeIn] = Field(min_length=1, max_length=20)


class ThresholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[ThresholdRuleIn] = Field(min_length=1, max_length=20)

    def to_rule_set(self, dept: str, cohort: int) -> RuleSet:
        return RuleSet(
            dept,
            cohort,
            tuple(
                Rule(
                    r.name,
                    r.name_en,
                    tuple(
                        Alternative(
                            count=a.count,
                            category=a.category,
                            entries=tuple(a.entries),
                            it_certificate=a.it_certificate,
                            min_cefr=a.min_cefr,
                        )
                        for a in r.any_of
                    ),
                )
                for r in self.rules
            ),
        )
