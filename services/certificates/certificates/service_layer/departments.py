"""The department registry: anyone signed in reads it, the admin keeps it; each change is published
(``department.changed.v1``) so review and rewards name departments in words too."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, Principal
from certhub_kit.events.certificates import DepartmentChanged

from ..domain.departments import Department, check_department, department_code
from .unit_of_work import CertificatesUnitOfWork


async def list_departments(uow: CertificatesUnitOfWork, user: Principal, *, include_inactive: bool) -> dict:
    items = await uow.departments.list(include_inactive=include_inactive and user.has(ADMIN))
    return {"items": [d.as_dict() for d in items]}


def ensure_admin(user: Principal) -> None:
    user.require(ADMIN)


async def put_department(
    uow: CertificatesUnitOfWork,
    user: Principal,
    raw_code: str,
    *,
    name: str,
    name_en: str | None,
    active: bool | None,
    position: int | None,
) -> dict:
    """Creates the department or changes its names / active / position (absent ones stay)."""
    user.require(ADMIN)
    code = department_code(raw_code)
    before = await uow.departments.get(code, for_update=True)
    dept = check_department(
        Department(
            code=code,
            name=name,
            name_en=name_en,
            active=active if active is not None else (before.active if before else True),
            position=position
            if position is not None
            else (before.position if before else await uow.departments.next_position()),
        )
    )
    if before is not None and before.as_dict() == dept.as_dict():
        return dept.as_dict()
    await uow.departments.put(dept)
    await uow.audit(
        "department.created" if before is None else "department.changed",
        actor_id=user.sub,
        subject=code,
        details=dept.as_dict(),
    )
    await uow.emit(DepartmentChanged(**dept.as_dict()), subject=code)
    return dept.as_dict()
