"""Reward applications (證照獎勵申請): statuses, who may change them, and the review rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from certhub_kit.errors import Conflict, Invalid

from .banking import check_payable
from .standards import RewardStandard

SUBMITTED = "submitted"
FIRST_REJECTED = "first_rejected"
FIRST_PASSED = "first_passed"
SECOND_REJECTED = "second_rejected"
SECOND_PASSED = "second_passed"
PAID = "paid"
INVALID = "invalid"
WAITING = "waiting"  # passed the second review; the year's budget is spent (候補)
NEEDS_FIX = "needs_fix"  # the bank returned the transfer (退匯): the student fixes the account

STATUS_LABELS: dict[str, tuple[str, str]] = {
    SUBMITTED: ("初審中", "Awaiting first review"),
    FIRST_REJECTED: ("初審不通過", "First review rejected"),
    FIRST_PASSED: ("複審中", "Awaiting second review"),
    SECOND_REJECTED: ("複審不通過", "Second review rejected"),
    SECOND_PASSED: ("待撥款", "Awaiting payout"),
    PAID: ("已撥款", "Paid"),
    INVALID: ("已失效", "Invalid"),
    WAITING: ("候補（預算用罄）", "Waiting (budget spent)"),
    NEEDS_FIX: ("待補正（退匯）", "Needs fix (transfer returned)"),
}
STUDENT_EDITABLE = frozenset({SUBMITTED, FIRST_REJECTED, INVALID})
# Certificate statuses that may be used for a reward (docs/product.md, "Rewards").
ELIGIBLE_CERTIFICATE_STATUSES = frozenset({"approved", "recorded", "credit_pending"})
YES, NO = "Y", "N"


def status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status, status))


@dataclass(frozen=True)
class CandidateCertificate:
    """One of the student's certificates as rewards knows it from events."""

    certificate_id: object
    student_id: str
    entry_key: str
    entry_name: str
    level_name: str | None
    eligible: bool
    used: bool
    expires_on: date | None = None  # the last day it counts (catalog validity); None = never

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


def student_may_change(status: str, first_result: str | None) -> bool:
    """Before a passed first review (or after a rejected one) the owner may edit or delete."""
    return status in STUDENT_EDITABLE and first_result != YES


def check_student_may_change(status: str, first_result: str | None) -> None:
    if not student_may_change(status, first_result):
        raise Conflict(
            "此申請已通過系所初審或已完成審核，無法修改或刪除",
            "This application passed its first review (or is closed); it can no longer be edited or deleted",
            code="application_locked",
        )


def choose_certificates(
    standard: RewardStandard,
    student_id: str,
    wanted: Sequence,
    candidates: Iterable[CandidateCertificate],
    *,
    today: date,
) -> list[CandidateCertificate]:
    """Exactly ``required_count`` distinct, own, eligible, unexpired, unused, qualifying certificates."""
    if len(set(wanted)) != len(wanted):
        raise Invalid("同一張證照不可重複選取", "The same certificate was chosen twice", code="duplicate_certificate")
    if len(wanted) != standard.required_count:
        raise Invalid(
            f"此獎勵標準需要剛好 {standard.required_count} 張證照（您選了 {len(wanted)} 張）",
            f"This standard needs exactly {standard.required_count} certificate(s); you chose {len(wanted)}",
            code="wrong_certificate_count",
        )
    known = {c.certificate_id: c for c in candidates if c.student_id == student_id}
    chosen = []
    for certificate_id in wanted:
        candidate = known.get(certificate_id)
        if candidate is None or not candidate.eligible:
            raise Invalid(
                "所選證照不存在、不屬於您，或尚未經系所審查通過",
                "A chosen certificate does not exist, is not yours, or has not been approved",
                code="certificate_not_eligible",
            )
        if candidate.expires_on is not None and candidate.expired(today):
            raise Conflict(
                f"「{candidate.entry_name}」已於 {candidate.expires_on.isoformat()} 過期，不能申請獎勵；"
                "請登錄換發後的新證照",
                f"'{candidate.entry_name}' expired on {candidate.expires_on.isoformat()} and cannot be used "
                "for a reward; register the renewed certificate",
                code="certificate_expired",
            )
        if candidate.used:
            raise Conflict(
                "所選證照已用於其他獎勵申請（每張證照只能申請一次）",
                "A chosen certificate is already used by another application (each may be used once)",
                code="certificate_used",
            )
        if not standard.accepts(candidate.entry_key, candidate.level_name):
            raise Invalid(
                f"「{candidate.entry_name}」不符合此獎勵標準",
                f"'{candidate.entry_name}' does not qualify for this standard",
                code="certificate_not_qualifying",
            )
        chosen.append(candidate)
    return chosen


def check_review_result(result: str) -> str:
    value = (result or "").strip().upper()
    if value not in (YES, NO):
        raise Invalid("審查結果必須是 Y 或 N", "The result must be Y or N", code="invalid_result")
    return value


def first_review_outcome(status: str, result: str, amount: int, method: str | None, other_acknowledged: bool) -> str:
    """Next status after 初審; a pass needs a way to pay the amount (``banking.check_payable``)."""
    if status != SUBMITTED:
        raise Conflict(
            f"此申請目前為「{status_label(status)[0]}」，無法進行初審",
            f"This application is '{status_label(status)[1]}'; it cannot get a first review",
            code="not_awaiting_first_review",
        )
    if result == YES:
        check_payable(amount, method, other_acknowledged)
    return FIRST_PASSED if result == YES else FIRST_REJECTED


def check_separate_reviewers(
    stage_first: bool, reviewer_id: str, first_reviewer_id: str | None, second_reviewer_id: str | None
) -> None:
    """Separation of duties: one person never does both 初審 and 複審 of one application."""
    other = second_reviewer_id if stage_first else first_reviewer_id
    if other is None or other != reviewer_id:
        return
    zh, en = ("複審", "second") if stage_first else ("初審", "first")
    raise Conflict(
        f"初審與複審不可由同一人辦理：您已辦理此申請的{zh}，請由其他人員審查",
        f"The first and second review of one application are never done by the same person: you did its "
        f"{en} review, so someone else must do this one",
        code="same_reviewer",
    )


def second_review_outcome(status: str, result: str) -> str:
    if status != FIRST_PASSED:
        raise Conflict(
            "只有通過初審的申請才能複審",
            "Only applications that passed the first review can get a second review",
            code="not_awaiting_second_review",
        )
    return SECOND_PASSED if result == YES else SECOND_REJECTED


def invalidation_reason(entry_name: str, deleted: bool, to_status: str | None) -> tuple[str, str]:
    if deleted:
        return (f"使用的證照「{entry_name}」已被刪除", f"The certificate '{entry_name}' used here was deleted")
    return (
        f"使用的證照「{entry_name}」狀態已變更為 {to_status}，不再符合申請資格",
        f"The certificate '{entry_name}' used here changed to {to_status} and no longer qualifies",
    )


INVALIDATABLE = frozenset({SUBMITTED, FIRST_REJECTED, FIRST_PASSED, SECOND_PASSED, WAITING})
# Statuses that claim money of the year (the cap counts them); committed ones hold budget.
CLAIMING = frozenset({SUBMITTED, FIRST_PASSED, SECOND_PASSED, WAITING, PAID, NEEDS_FIX})
COMMITTED = frozenset({SECOND_PASSED, PAID, NEEDS_FIX})


@dataclass
class Application:
    """One application as stored; column names match the ``applications`` table."""

    id: uuid.UUID
    seq: int
    academic_year: int
    student_id: str
    student_name: str
    student_email: str | None
    dept: str | None
    division: str | None
    program: str | None
    class_: str | None
    standard_id: uuid.UUID
    label: str
    amount: int
    level: int
    status: str
    invalid_reason: str | None
    invalid_reason_en: str | None
    first_result: str | None
    first_reviewer_id: str | None
    first_reviewer_name: str | None
    first_reviewed_at: object
    first_note: str | None
    second_result: str | None
    second_reviewer_id: str | None
    second_reviewer_name: str | None
    second_reviewed_at: object
    second_note: str | None
    paid_at: object
    created_at: object
    updated_at: object
    standard_amount: int | None = None  # the standard's amount before the year's cap
    flags: list | None = None  # rules.FLAGS the student or a reviewer set
    returned_fees: int = 0  # fees of returned transfers (退匯), already deducted from ``amount``

    @property
    def student_may_change(self) -> bool:
        return student_may_change(self.status, self.first_result)
