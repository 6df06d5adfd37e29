"""Who may do what in review: staff only; reviewers for their departments; the centre for all."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, Principal
from certhub_kit.errors import Forbidden


def require_staff(who: Principal) -> None:
    """Students (and tokens without a staff role) get a 403."""
    who.require(REVIEWER, CENTER, ADMIN)


def require_dept(who: Principal, dept: str | None) -> None:
    if not who.can_review_dept(dept):
        raise Forbidden(
            "您只能審核所屬系所的證照", "You can only review certificates of your departments", code="forbidden_dept"
        )


def require_center(who: Principal) -> None:
    if not who.is_center:
        raise Forbidden("僅職輔組可執行此操作", "Only the centre can do this", code="center_only")


def require_admin(who: Principal) -> None:
    if ADMIN not in who.roles:
        raise Forbidden(
            "僅系統管理員可修改審核設定", "Only an admin can change the review configuration", code="admin_only"
        )
