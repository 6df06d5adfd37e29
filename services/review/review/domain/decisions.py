"""Whether a decision may be taken on an item, and what kind of step it is."""

from __future__ import annotations

from enum import Enum

from certhub_kit.errors import Conflict, Forbidden, Invalid

from .item import ReviewItem
from .statuses import CREDIT_PENDING, DECISIONS, LABELS_ZH, PASS_DECISIONS, PASSING, REJECTED, REREVIEW
from .tracks import Track


class Step(Enum):
    PASS = "pass"  # approved / credit_pending / recorded: rules, bundle and waiver decide the outcome
    REJECT = "reject"
    REREVIEW = "rereview"
    REGISTRAR_RECORDED = "registrar_recorded"  # credit_pending → approved, by the centre


def step_for(
    item: ReviewItem,
    track: Track,
    decision: str,
    reason: str | None,
    *,
    by_center: bool,
    reason_code: str | None = None,
) -> Step:
    """Raises a 4xx error (zh-TW + English) when the decision is not allowed."""
    if decision not in DECISIONS:
        raise Invalid(f"不支援的審核結果：{decision}", f"Unknown decision: {decision}", code="invalid_decision")
    if reason_code and decision != REJECTED:
        raise Invalid(
            "退件原因代碼只用於不通過", "A reason code goes only with a rejection", code="reason_code_not_rejection"
        )
    if item.status == CREDIT_PENDING:
        return _registrar_step(decision, by_center)
    if not item.reviewable:
        label = LABELS_ZH.get(item.status, item.status)
        raise Conflict(
            f"此證照目前為「{label}」，不在待審狀態",
            f"This certificate is {item.status}, not awaiting review",
            code="not_reviewable",
        )
    if item.awaiting_status in PASSING | {REJECTED}:
        raise Conflict(
            "此證照已有審核結果，正在更新狀態",
            "A decision on this certificate is already being applied",
            code="decision_pending",
        )
    if decision == REJECTED:
        _require_reason(reason, "退件需填寫理由", "A reason is required to reject")
        return Step.REJECT
    if decision == REREVIEW:
        if REREVIEW in (item.status, item.awaiting_status):
            raise Conflict("此證照已在再審中", "This certificate is already in rereview", code="already_rereview")
        _require_reason(reason, "改為再審需填寫理由", "A reason is required to send an item to rereview")
        return Step.REREVIEW
    return _pass_step(item, track, decision, reason)


def ensure_unchanged(item: ReviewItem, seen: int) -> None:
    """A decision names the version the reviewer saw (the queue's ``version``); what was verified must
    not have changed since (``content_version``), and review must know that version (409 otherwise)."""
    if item.content_version <= seen <= item.version:
        return
    raise Conflict(
        f"此證照在您檢視後已有變更（您看到的是第 {seen} 版，目前為第 {item.version} 版），請重新整理後再審核",
        f"This certificate changed after you viewed it (you saw version {seen}; it is now version "
        f"{item.version}); reload it and decide again",
        code="certificate_changed",
    )


def _registrar_step(decision: str, by_center: bool) -> Step:
    if decision != "approved":
        raise Conflict(
            "抵免中的證照只能由職輔組登錄完成後改為通過",
            "A credit-pending certificate can only be approved once the registrar recorded it",
            code="credit_pending",
        )
    if not by_center:
        raise Forbidden(
            "僅職輔組可確認註冊組已登錄抵免", "Only the centre confirms the registrar's recording", code="center_only"
        )
    return Step.REGISTRAR_RECORDED


def _pass_step(item: ReviewItem, track: Track, decision: str, reason: str | None) -> Step:
    if decision in PASS_DECISIONS - {"approved"} and not (track.credit_waiver and item.it_certificate):
        raise Invalid(
            "此證照的審核流程沒有資訊技能抵免，請選擇「通過」",
            "This certificate's track has no credit waiver; decide approved",
            code="no_credit_waiver",
        )
    if track.original_check_required and item.original_checked_at is None:
        raise Conflict(
            "此審核流程需先由職輔組查證正本（掃描正本）才能通過",
            "This track needs the centre to check and scan the original before approval",
            code="original_required",
        )
    failed = item.failed_rules()
    if failed:
        names = "、".join(failed)
        _require_reason(
            reason,
            f"規則未通過（{names}），如要通過請填寫理由",
            f"Rules failed ({', '.join(failed)}); give a reason to override them",
        )
    return Step.PASS


def _require_reason(reason: str | None, zh: str, en: str) -> None:
    if not (reason or "").strip():
        raise Invalid(zh, en, code="reason_required")
