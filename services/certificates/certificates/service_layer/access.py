"""Who may see or change a certificate: the kit's record-visibility rule (owners theirs, reviewers
their departments, the centre all; ``certhub_kit.visibility``), and only the owner changes it."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, STUDENT, Principal
from certhub_kit.errors import Forbidden, not_found
from certhub_kit.visibility import RecordKind, ensure_visible, is_owner

from ..domain.certificate import Certificate

CERTIFICATE = RecordKind(
    "這張證照",
    "Certificate",
    "這張證照不屬於您負責的系所",
    "This certificate belongs to a department you do not review",
)


def not_found_certificate():
    return not_found("這張證照", "Certificate")


def ensure_can_read(user: Principal, cert: Certificate | None) -> Certificate:
    """A student never learns that another student's certificate exists (404); staff
    outside the department get 403."""
    if cert is None:
        raise not_found_certificate()
    ensure_visible(user, owner=cert.student_id, dept=cert.dept, kind=CERTIFICATE)
    return cert


def ensure_owner(user: Principal, cert: Certificate | None) -> Certificate:
    cert = ensure_can_read(user, cert)
    if not is_owner(user, cert.student_id):
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
