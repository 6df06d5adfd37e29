"""No silent stalls: how long an item has waited in its stage, when a decision is due, who holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .academic_year import taipei_date
from .statuses import APPROVED, CREDIT_PENDING, DRAFT, RECORDED, REJECTED, REREVIEW, REVIEWABLE, SUBMITTED, VERIFYING
from .tracks import DEFAULT_SLA_DAYS


@dataclass(frozen=True)
class Deadline:
    """An item's wait in its current stage (Taipei calendar days)."""

    age_days: int
    due_on: date | None  # None: no decision is awaited (a draft, or decided)
    overdue: bool


def deadline(status: str, stage_since: datetime, sla_days: int | None, now: datetime) -> Deadline:
    """Due ``sla_days`` after the Taipei day the stage began; overdue from the day after that."""
    today = taipei_date(now)
    age = max(0, (today - taipei_date(stage_since)).days)
    if status not in REVIEWABLE:
        return Deadline(age, None, False)
    due_on = taipei_date(stage_since) + timedelta(days=sla_days or DEFAULT_SLA_DAYS)
    return Deadline(age, due_on, today > due_on)


@dataclass(frozen=True)
class Holder:
    """Who must act next, in words a student understands (zh-TW first, English)."""

    stage: str
    stage_en: str
    holder: str
    holder_en: str


HOLDERS = {
    DRAFT: Holder(
        "已建檔，待確認",
        "registered, awaiting confirmation",
        "學生本人（請點選確認信連結）",
        "You (click the link in the confirmation e-mail)",
    ),
    SUBMITTED: Holder("申請中", "submitted", "系所審核", "Department review"),
    VERIFYING: Holder("查證中", "being verified", "職輔組（核對正本）", "Careers centre (checking the original)"),
    REREVIEW: Holder(
        "再審中",
        "under re-review",
        "系所審核（待同套組證照）",
        "Department review (waiting for the rest of the bundle)",
    ),
    CREDIT_PENDING: Holder("抵免中", "credit pending", "教務處註冊組（學分抵免）", "Registrar (credit waiver)"),
    APPROVED: Holder("通過", "approved", "已完成", "Done"),
    RECORDED: Holder("登錄完成", "recorded", "已完成", "Done"),
    REJECTED: Holder("不通過", "rejected", "已完成（可修改後重新申請）", "Done (edit and apply again)"),
}


def holder_of(status: str, *, original_checked: bool, original_required: bool) -> Holder:
    """A submitted item on a track that needs the original waits for the centre first."""
    if status == SUBMITTED and original_required and not original_checked:
        return Holder("申請中", "submitted", "職輔組（待繳驗正本）", "Careers centre (awaiting the original)")
    return HOLDERS.get(status, Holder(status, status, "—", "—"))
