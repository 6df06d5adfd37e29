"""Who may see or change a certificate: owners theirs, reviewers their departments, the centre all."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, CENTER, REVIEWER, STUDENT, Principal
from certhub_kit.errors import Forbidden, concealed, not_found


def not_found_certificate():
    return not_found("這張證照", "Certificate")


def can_read(user: Principal, cert: dict) -> bool:
    if user.is_student and cert["student_id"] == user.sub:
        return True
    return user.has(REVIEWER, CENTER, ADMIN) and user.can_review_dept(cert["dept"])


def ensure_can_read(user: Principal, cert: dict | None) -> dict:
    """A student never learns that another student's certificate exists (404); staff
    outside the department get 403."""
    if cert is None:
        raise not_found_certificate()
    if can_read(user, cert):
        return cert
    if user.has(REVIEWER, CENTER, ADMIN):
        raise Forbidden(
            "這張證照不屬於您負責的系所",
            "This certificate belongs to a department you do not review",
            code="other_department",
        )
    raise concealed("這張證照", "Certificate")  # a 404 like a missing one, audited as a denial


def ensure_owner(user: Principal, cert: dict | None) -> dict:
    cert = ensure_can_read(user, cert)
    if not (user.is_student and cert["student_id"] == user.sub):
        raise Forbidden(
            "只有證照的登錄者本人可以修改",
            "Only the student who registered it may change a certificate",
            code="owner_only",
        )
    return cert


def ensure_student(user: Principal) -> Principal:
    return user.require(STUDENT)


def ensure_admin(user: Principal) -> Principal:
    return user.require(ADMIN)
