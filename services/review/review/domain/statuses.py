"""Certificate statuses as the review service sees them (the certificates service owns them)."""

from __future__ import annotations

DRAFT, SUBMITTED, VERIFYING, REREVIEW = "draft", "submitted", "verifying", "rereview"
REJECTED, CREDIT_PENDING, APPROVED, RECORDED = "rejected", "credit_pending", "approved", "recorded"

ALL_STATUSES = (DRAFT, SUBMITTED, VERIFYING, REREVIEW, REJECTED, CREDIT_PENDING, APPROVED, RECORDED)
# Items a reviewer can decide on; the default view of the queue.
REVIEWABLE = frozenset({SUBMITTED, VERIFYING, REREVIEW})
# Statuses that count as "passing" (a bundle member, a credited IT certificate).
PASSING = frozenset({APPROVED, CREDIT_PENDING, RECORDED})
# What a reviewer may ask for; approved / credit_pending / recorded are all "pass" requests.
DECISIONS = (APPROVED, REJECTED, REREVIEW, CREDIT_PENDING, RECORDED)
PASS_DECISIONS = frozenset({APPROVED, CREDIT_PENDING, RECORDED})

LABELS_ZH = {
    DRAFT: "已建檔",
    SUBMITTED: "申請中",
    VERIFYING: "查證中",
    REREVIEW: "再審中",
    REJECTED: "不通過",
    CREDIT_PENDING: "抵免中",
    APPROVED: "通過",
    RECORDED: "登錄完成",
}
