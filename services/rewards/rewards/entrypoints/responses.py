"""What the rewards service answers: the response models of its endpoints.

Built from ``service_layer`` (``views.application_view``, ``standards.standard_view``, ``windows.window_view``,
``rules.rules_view``, ``payouts``, ``returns``, ``reports``, ``eligibility``); a response model keeps only
its fields, so each one lists them all.
"""

from __future__ import annotations

from pydantic import Field

from certhub_kit.response_models import ErrorDetail, Page, ResponseModel


class StageReview(ResponseModel):
    result: str
    reviewer: str | None
    reviewer_id: str | None
    reviewed_at: str | None
    note: str | None


class UsedCertificate(ResponseModel):
    certificate_id: str
    entry_name: str | None
    level_name: str | None


class BankAccount(ResponseModel):
    """Always masked; ``other_reason`` only to the centre reading one application of method "other"."""

    method: str
    code: str | None
    account_masked: str | None
    account_name: str | None
    has_passbook: bool
    other_acknowledged: bool | None
    other_acknowledged_by: str | None
    other_reason: str | None = None


class Application(ResponseModel):
    id: str
    academic_year: int
    student_id: str
    student_name: str | None
    dept: str | None
    division: str | None
    program: str | None
    class_: str | None = Field(alias="class")
    standard_id: str
    label: str
    amount: int
    level: int
    status: str
    status_label: str
    status_label_en: str
    first_review: StageReview | None
    second_review: StageReview | None
    certificate_count: int
    certificates: list[UsedCertificate]
    bank_account: BankAccount | None
    paid_at: str | None
    invalid_reason: str | None
    invalid_reason_en: str | None
    created_at: str | None
    can_edit: bool
    can_delete: bool
    flags: list[str]
    standard_amount: int | None
    capped: bool
    returned_fees: int


class ApplicationPage(Page):
    items: list[Application]


class ReviewResult(ResponseModel):
    """One decision of a bulk review: ``ok``, or the error its own request would have answered."""

    application_id: str
    ok: bool
    status: int | None = None
    error: ErrorDetail | None = None


class ReviewResults(ResponseModel):
    results: list[ReviewResult]


class SuggestedStandard(ResponseModel):
    id: str
    label: str
    amount: int
    required_count: int
    level: int


class Suggestion(ResponseModel):
    standard: SuggestedStandard
    certificates: list[UsedCertificate]


class ReportRow(ResponseModel):
    dept: str | None
    dept_name: str | None
    standard_label: str
    count: int
    amount: int


class Report(ResponseModel):
    academic_year: int
    statuses: list[str]
    rows: list[ReportRow]


class Qualifying(ResponseModel):
    certificate_key: str
    levels: list[str] | None


class Standard(ResponseModel):
    id: str
    academic_year: int
    scope: str
    level: int
    item: int
    name: str
    label: str
    amount: int
    required_count: int
    qualifying: list[Qualifying]


class StandardsImported(ResponseModel):
    created: int
    updated: int


class Window(ResponseModel):
    academic_year: int
    opens_at: str
    closes_at: str
    is_open: bool


class Batch(ResponseModel):
    id: str
    name: str
    name_en: str
    academic_year: int | None
    year_seq: int | None
    created_by: str | None
    created_at: str
    paid_at: str | None
    paid_by: str | None
    status: str
    count: int | None
    total: int | None
    application_ids: list[str]


class FullBankAccount(ResponseModel):
    """Unmasked, for the centre's payout view only (each read audited); ``unreadable``: ask the student again."""

    method: str
    code: str | None
    account_no: str | None
    account_name: str | None
    postal_code: str | None
    address: str | None
    other_reason: str | None
    unreadable: bool


class PayoutApplication(Application):
    bank_account_full: FullBankAccount | None = Field(description="null unless the reader is the centre")


class BatchWithApplications(Batch):
    applications: list[PayoutApplication]


class PaidBatch(Batch):
    skipped: list[str] = Field(description="applications no longer payable, left out of the payment")


class FlagChoice(ResponseModel):
    flag: str
    label: str
    label_en: str


class RankingChoice(ResponseModel):
    ranking: str
    label: str
    label_en: str


class YearRules(ResponseModel):
    academic_year: int
    cap_per_student: int | None
    budget: int | None
    exclusions: list[str]
    ranking: str
    return_fee: int
    flags: list[FlagChoice]
    rankings: list[RankingChoice]


class SavedRules(YearRules):
    promoted: list[str] = Field(description="waiting applications the new rules made payable")


class Claim(ResponseModel):
    application_id: str
    student_id: str
    student_name: str | None
    label: str
    amount: int
    level: int


class OverCap(Claim):
    capped_amount: int


class Waiting(Claim):
    rank: int


class RulesPreview(ResponseModel):
    academic_year: int
    rules: YearRules
    total: int
    count: int
    funded_total: int
    over_cap: list[OverCap]
    waiting: list[Waiting]


class ReturnedRow(ResponseModel):
    row: int
    application_id: str
    status: str
    message: str
    message_en: str
    amount: int | None
    fee: int
    repayable: int | None
    student_id: str | None
    reason: str | None


class ReturnsImport(ResponseModel):
    dry_run: bool
    rows: list[ReturnedRow]
    returned: int
