"""What the review service answers: the response models of its endpoints.

Built from ``service_layer`` (``queue.queue_entry``, ``stage_progress.progress_entry``, ``configure.*_as_dict``,
``thresholds``, ``reasons``, ``DecisionResult.as_dict``); a response model keeps only its fields, so each
one lists them all.
"""

from __future__ import annotations

from pydantic import Field

from certhub_kit.response_models import ErrorDetail, Page, ResponseModel


class Check(ResponseModel):
    rule: str
    passed: bool
    reason: str | None
    reason_en: str | None


class Flag(ResponseModel):
    code: str
    reason: str
    reason_en: str
    certificate_id: str | None = Field(description="null when the match is in a department the reader may not see")
    dept: str | None
    elsewhere: bool | None = None


class StageClock(ResponseModel):
    age_days: int
    stage_since: str
    due_on: str | None
    overdue: bool
    sla_days: int | None


class QueueItem(StageClock):
    certificate_id: str
    student_id: str
    student_name: str | None
    dept: str | None
    class_: str | None = Field(alias="class")
    entry_key: str
    entry_name: str
    level_name: str | None
    entry_name_en: str | None
    level_name_en: str | None
    category: int
    it_certificate: bool
    bundle: str | None
    issued_on: str
    certificate_no: str | None
    status: str
    registered_at: str
    submitted_at: str | None
    track: str | None
    checklist: list[Check] | None
    flags: list[Flag]
    scan_url: str
    thumbnail_url: str
    original_url: str | None
    original_checked_at: str | None
    last_decision: str | None
    decided_by: str | None
    decided_at: str | None
    decision_pending: bool
    version: int


class QueuePage(Page):
    items: list[QueueItem]


class Progress(StageClock):
    certificate_id: str
    status: str
    stage: str
    stage_en: str
    holder: str
    holder_en: str


class ProgressList(ResponseModel):
    items: list[Progress]


class Released(ResponseModel):
    certificate_id: str
    outcome: str


class Decision(ResponseModel):
    certificate_id: str
    decision: str
    outcome: str
    reason: str | None
    released: list[Released] = Field(description="bundle members approved together with it")


class BulkResult(ResponseModel):
    """A decision made (``ok``, the decision's fields) or refused (``error``, as its own answer would be)."""

    ok: bool
    status: int
    certificate_id: str
    decision: str
    outcome: str | None = None
    reason: str | None = None
    released: list[Released] | None = None
    error: ErrorDetail | None = None


class BulkDecisions(ResponseModel):
    results: list[BulkResult]
    succeeded: int
    failed: int


class OriginalChecked(ResponseModel):
    certificate_id: str
    status: str
    original_checked_at: str
    original_checked_by: str
    original_url: str


class NextStep(ResponseModel):
    zh: str
    en: str


class Track(ResponseModel):
    name: str
    confirmation_required: bool
    original_check_required: bool
    credit_waiver: bool
    recognised: list[str] | None
    bundles: dict[str, int]
    sla_days: int | None
    next_steps: dict[str, NextStep]


class Assignment(ResponseModel):
    category: int
    dept: str | None
    track: str


class TrackSetup(ResponseModel):
    tracks: list[Track]
    assignments: list[Assignment]


class NextSteps(ResponseModel):
    tracks: dict[str, dict[str, NextStep]]
    assignments: list[Assignment]
    fallback: str


class RuleConfig(ResponseModel):
    academic_year: int | None = Field(description="null = the built-in defaults")
    reporting_window_months: int
    window_applies_from: str
    phash_threshold: int
    dept_thresholds: dict[str, list[str]]


class Rules(ResponseModel):
    defaults: RuleConfig
    versions: list[RuleConfig]


class Reason(ResponseModel):
    code: str
    label: str
    label_en: str
    instruction: str
    instruction_en: str
    active: bool


class Reasons(ResponseModel):
    reasons: list[Reason]


class RejectionCount(ResponseModel):
    reason_code: str | None
    label: str
    label_en: str
    dept: str | None
    count: int


class RejectionsReport(ResponseModel):
    academic_year: int
    rows: list[RejectionCount]
    total: int


class Alternative(ResponseModel):
    count: int
    category: int | None
    entries: list[str]
    it_certificate: bool | None
    min_cefr: str | None


class ThresholdRule(ResponseModel):
    name: str
    name_en: str | None
    any_of: list[Alternative]


class Threshold(ResponseModel):
    dept: str
    cohort: int
    rules: list[ThresholdRule]


class Thresholds(ResponseModel):
    thresholds: list[Threshold]


class ThresholdRef(ResponseModel):
    dept: str
    cohort: int


class RuleProgress(ResponseModel):
    rule: str
    rule_en: str | None
    met: bool
    counted: list[str]
    missing: int
    missing_text: str
    missing_text_en: str


class StudentThreshold(ResponseModel):
    student_id: str
    dept: str | None
    cohort: int | None
    threshold: ThresholdRef | None = Field(description="the rule set that applies; null = none")
    met: bool
    rules: list[RuleProgress]
