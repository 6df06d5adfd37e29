"""The 8-state status machine of a student's certificate (docs/product.md, "Status machine") and its edit rules."""

from __future__ import annotations

from enum import StrEnum

from certhub_kit.errors import Conflict


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFYING = "verifying"
    REREVIEW = "rereview"
    REJECTED = "rejected"
    CREDIT_PENDING = "credit_pending"
    APPROVED = "approved"
    RECORDED = "recorded"


LABELS: dict[Status, tuple[str, str]] = {
    Status.DRAFT: ("已建檔", "Registered (awaiting email confirmation)"),
    Status.SUBMITTED: ("申請中", "Submitted"),
    Status.VERIFYING: ("查證中", "Verifying"),
    Status.REREVIEW: ("再審中", "Re-review (bundle incomplete)"),
    Status.REJECTED: ("不通過", "Rejected"),
    Status.CREDIT_PENDING: ("抵免中", "Credit waiver pending"),
    Status.APPROVED: ("通過", "Approved"),
    Status.RECORDED: ("登錄完成", "Recorded"),
}

# Outcomes a review decision may set.
DECISIONS = frozenset(
    {Status.APPROVED, Status.REJECTED, Status.REREVIEW, Status.CREDIT_PENDING, Status.RECORDED, Status.VERIFYING}
)
_PASSED = frozenset({Status.APPROVED, Status.CREDIT_PENDING, Status.RECORDED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.VERIFYING, Status.REREVIEW, Status.REJECTED, *_PASSED}),
    Status.VERIFYING: frozenset({Status.REREVIEW, Status.REJECTED, *_PASSED}),
    Status.REREVIEW: frozenset({Status.VERIFYING, Status.REJECTED, *_PASSED}),
    # A rejection is reopened by the student (resubmit) or overridden by a reviewer.
    Status.REJECTED: frozenset({Status.SUBMITTED, Status.DRAFT, Status.REREVIEW, *_PASSED}),
    Status.CREDIT_PENDING: frozenset({Status.APPROVED}),
    Status.APPROVED: frozenset(),
    Status.RECORDED: frozenset(),
}

# Once passed, a certificate is read-only to its owner.
LOCKED = _PASSED


def label(status: str) -> tuple[str, str]:
    return LABELS[Status(status)]


def can_transition(current: str, target: str) -> bool:
    try:
        return Status(target) in TRANSITIONS[Status(current)]
    except ValueError:
        return False


def can_edit(status: str) -> bool:
    return Status(status) not in LOCKED


def ensure_editable(status: str, *, action: str = "edit") -> None:
    """Owners may edit or delete until the certificate passed review (409 saying why)."""
    if can_edit(status):
        return
    zh_status, en_status = label(status)
    verb_zh, verb_en = ("刪除", "deleted") if action == "delete" else ("修改", "edited")
    raise Conflict(
        f"此證照已審核通過（{zh_status}），不能再{verb_zh}；如資料有誤請洽承辦單位",
        f"This certificate has passed review ({en_status}) and can no longer be {verb_en}; "
        "please contact the office if something is wrong",
        code="certificate_locked",
    )


# What a reviewer (and the centre, against the original) verified: changing any of these after
# registration sends the certificate back to the start of its track (services/review/README.md, "Edits and
# the version a decision names").
VERIFIED_FIELDS = ("entry_id", "level_id", "score", "certificate_no", "issued_on")


def verified_changes(current: dict, changes: dict, *, new_scan: bool) -> list[str]:
    """The verified fields an edit really changes (the same value sent again is no change)."""
    changed = [name for name in VERIFIED_FIELDS if name in changes and changes[name] != current[name]]
    return changed + (["scan"] if new_scan else [])


def status_after_edit(current: str, *, needs_confirmation: bool, restarted: bool = False) -> str:
    """An edit keeps the status, except after a rejection (a resubmission) or when it changed what was
    verified (``restarted``): then the certificate starts its track again — the track of its category
    now, so an email confirmation first where that track needs one."""
    if Status(current) is Status.REJECTED or restarted:
        return initial_status(needs_confirmation=needs_confirmation)
    return current


def initial_status(*, needs_confirmation: bool) -> Status:
    return Status.DRAFT if needs_confirmation else Status.SUBMITTED
