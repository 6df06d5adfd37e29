"""What a mail is, which templates exist, and which certificate statuses are worth a mail."""

from __future__ import annotations

from dataclasses import dataclass

CONFIRM_CERTIFICATE = "confirm_certificate"
CERTIFICATE_APPROVED = "certificate_approved"
CERTIFICATE_REJECTED = "certificate_rejected"
CERTIFICATE_REREVIEW = "certificate_rereview"
CERTIFICATE_CREDIT_PENDING = "certificate_credit_pending"
CERTIFICATE_RECORDED = "certificate_recorded"
CATALOG_REQUEST_ANSWERED = "catalog_request_answered"
REWARD_FIRST_REVIEWED = "reward_first_reviewed"
REWARD_SECOND_REVIEWED = "reward_second_reviewed"
REWARD_PAID = "reward_paid"
REWARD_TRANSFER_RETURNED = "reward_transfer_returned"
WINDOW_OPENS_SOON = "reminder_window_opens_soon"
WINDOW_OPEN_TODAY = "reminder_window_open_today"
WINDOW_CLOSES_SOON = "reminder_window_closes_soon"
REVIEWER_DIGEST = "reviewer_digest"
EXPIRY_DIGEST = "reminder_certificates_expire"
CENTER_OVERDUE_DIGEST = "center_overdue_digest"

TEMPLATES = (
    CONFIRM_CERTIFICATE,
    CERTIFICATE_APPROVED,
    CERTIFICATE_REJECTED,
    CERTIFICATE_REREVIEW,
    CERTIFICATE_CREDIT_PENDING,
    CERTIFICATE_RECORDED,
    CATALOG_REQUEST_ANSWERED,
    REWARD_FIRST_REVIEWED,
    REWARD_SECOND_REVIEWED,
    REWARD_PAID,
    WINDOW_OPENS_SOON,
    WINDOW_OPEN_TODAY,
    WINDOW_CLOSES_SOON,
    REVIEWER_DIGEST,
    EXPIRY_DIGEST,
    REWARD_TRANSFER_RETURNED,
    CENTER_OVERDUE_DIGEST,
)

# A student is told when a decision reaches them. `submitted` follows their own click on the
# confirmation link and `verifying` is the centre's internal step: neither needs a mail.
STATUS_TEMPLATES = {
    "approved": CERTIFICATE_APPROVED,
    "rejected": CERTIFICATE_REJECTED,
    "rereview": CERTIFICATE_REREVIEW,
    "credit_pending": CERTIFICATE_CREDIT_PENDING,
    "recorded": CERTIFICATE_RECORDED,
}

STATUS_LABELS = {
    "draft": ("已建檔", "registered"),
    "submitted": ("申請中", "submitted"),
    "verifying": ("查證中", "being verified"),
    "rereview": ("再審中", "under re-review"),
    "rejected": ("不通過", "not approved"),
    "credit_pending": ("抵免中", "credit waiver pending"),
    "approved": ("通過", "approved"),
    "recorded": ("登錄完成", "recorded"),
}

# Certificates a student may still use for a reward application (docs/product.md, "Rewards").
ELIGIBLE_STATUSES = frozenset({"approved", "recorded", "credit_pending"})
# Items waiting on a reviewer, listed in the daily digest.
PENDING_REVIEW_STATUSES = frozenset({"submitted", "verifying", "rereview"})


def template_for_status(status: str) -> str | None:
    return STATUS_TEMPLATES.get(status)


@dataclass(frozen=True)
class Mail:
    """A rendered mail for one recipient; ``template`` names what it is in the delivery log."""

    recipient: str
    template: str
    subject: str
    text: str
    html: str


def plausible_address(address: str | None) -> bool:
    if not address or len(address) > 254 or "\n" in address or "\r" in address:
        return False
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and " " not in address)


def certificate_label(entry_name: str, level_name: str | None) -> str:
    """How a certificate is named in a mail: ``TOEIC 多益測驗 金色證書``."""
    if level_name and level_name not in entry_name:
        return f"{entry_name} {level_name}"
    return entry_name
