"""The kit's record-visibility rule, principal by principal, for a record of student A in IM."""

from __future__ import annotations

import pytest

from certhub_kit.auth import Principal
from certhub_kit.errors import Concealed, Forbidden
from certhub_kit.visibility import RecordKind, ensure_visible, is_owner, may_see

KIND = RecordKind("這張證照", "Certificate", "不屬於您負責的系所", "Another department's certificate")
OWNER, DEPT = "s1100001", "IM"


def who(sub: str, *roles: str, depts: tuple[str, ...] = ()) -> Principal:
    return Principal(sub=sub, name=sub, roles=frozenset(roles), depts=depts)


SEES = {
    "the owner": who(OWNER, "student", depts=("IM",)),
    "the owner, moved to another department": who(OWNER, "student", depts=("EE",)),
    "a reviewer of the department": who("rev-im", "reviewer", depts=("IM",)),
    "a reviewer of several, the record's among them": who("rev-x", "reviewer", depts=("EE", "IM")),
    "the centre": who("center", "center"),
    "an admin": who("admin", "admin"),
    "a student who also reviews the department": who("s1100002", "student", "reviewer", depts=("IM",)),
}
CONCEALED = {
    "another student of the department": who("s1100002", "student", depts=("IM",)),
    "a student of another department": who("s1100003", "student", depts=("EE",)),
    "a token without a role": who("nobody"),
    "the owner's number on a token without the student role": who(OWNER),
}
OTHER_DEPARTMENT = {
    "a reviewer of another department": who("rev-ee", "reviewer", depts=("EE",)),
    "a reviewer without a department": who("rev-none", "reviewer"),
    "a student who reviews another department": who("s1100002", "student", "reviewer", depts=("EE",)),
    "the owner's number on a reviewer's token": who(OWNER, "reviewer", depts=("EE",)),
}


@pytest.mark.parametrize("principal", SEES.values(), ids=SEES.keys())
def test_the_owner_the_department_and_the_centre_see_it(principal):
    assert may_see(principal, owner=OWNER, dept=DEPT)
    ensure_visible(principal, owner=OWNER, dept=DEPT, kind=KIND)


@pytest.mark.parametrize("principal", CONCEALED.values(), ids=CONCEALED.keys())
def test_anyone_else_without_a_staff_role_gets_the_concealed_404(principal):
    assert not may_see(principal, owner=OWNER, dept=DEPT)
    with pytest.raises(Concealed) as refused:
        ensure_visible(principal, owner=OWNER, dept=DEPT, kind=KIND)
    error = refused.value
    assert (error.status, error.code, error.denial) == (404, "not_found", True)
    assert (error.message, error.message_en) == ("找不到這張證照", "Certificate not found")  # as for a missing one


@pytest.mark.parametrize("principal", OTHER_DEPARTMENT.values(), ids=OTHER_DEPARTMENT.keys())
def test_a_reviewer_of_another_department_gets_403_other_department(principal):
    with pytest.raises(Forbidden) as refused:
        ensure_visible(principal, owner=OWNER, dept=DEPT, kind=KIND)
    error = refused.value
    assert (error.status, error.code, error.denial) == (403, "other_department", True)
    assert (error.message, error.message_en) == (KIND.other_department_zh, KIND.other_department_en)


def test_a_record_without_a_department_is_the_owners_and_the_centres_only():
    ensure_visible(SEES["the owner"], owner=OWNER, dept=None, kind=KIND)
    ensure_visible(SEES["the centre"], owner=OWNER, dept=None, kind=KIND)
    with pytest.raises(Forbidden):
        ensure_visible(SEES["a reviewer of the department"], owner=OWNER, dept=None, kind=KIND)


def test_only_a_student_owns_a_record():
    assert is_owner(SEES["the owner"], OWNER)
    assert not is_owner(OTHER_DEPARTMENT["the owner's number on a reviewer's token"], OWNER)
    assert not is_owner(CONCEALED["the owner's number on a token without the student role"], OWNER)
    assert not is_owner(SEES["the centre"], OWNER)
