"""Who may see one student's record (a certificate, a reward application, a student's progress).

One rule for every service (docs/CONVENTIONS.md, "Access to a student's record"):

- the student who owns the record sees it;
- the centre and admins see every record;
- a reviewer sees the records of the departments they review, and gets a 403 ``other_department``
  for any other;
- anyone else — another student, a token without a role — gets the concealed 404: the same answer
  as for a missing record, so its existence stays hidden, audited as an authorisation failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .auth import STAFF, Principal
from .errors import Forbidden, concealed


@dataclass(frozen=True)
class RecordKind:
    """How the answers name a kind of record: ``找不到{zh}`` / ``{en} not found`` for the concealed
    404, and the 403 for a reviewer of another department."""

    zh: str
    en: str
    other_department_zh: str
    other_department_en: str


def is_owner(who: Principal, owner: str) -> bool:
    """The student the record belongs to (a staff account is never its owner)."""
    return who.is_student and who.sub == owner


def may_see(who: Principal, *, owner: str, dept: str | None) -> bool:
    return is_owner(who, owner) or who.can_review_dept(dept)


def ensure_visible(who: Principal, *, owner: str, dept: str | None, kind: RecordKind) -> None:
    """Returns when ``who`` may see a record of student ``owner`` in department ``dept``; raises the
    403 or the concealed 404 of the rule above otherwise."""
    if may_see(who, owner=owner, dept=dept):
        return
    if who.has(*STAFF):
        raise Forbidden(kind.other_department_zh, kind.other_department_en, code="other_department")
    raise concealed(kind.zh, kind.en)
