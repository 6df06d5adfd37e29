"""Departments, divisions and programmes in words.

The department registry is kept by the admin in the certificates service (``departments`` table,
``GET/PUT /api/certificates/departments``) and published as ``department.changed.v1``; review,
rewards and notify keep a copy. ``DEMO_DEPARTMENTS`` seeds every copy so names show before the first event.
Divisions (部別) and programmes (學制) are a fixed list, named here once.
"""

from __future__ import annotations

from collections.abc import Mapping

# code → (zh-TW, English); the order is the registry's initial position
DEMO_DEPARTMENTS: dict[str, tuple[str, str]] = {
    "IM": ("資訊管理學系", "Department of Information Management"),
    "EE": ("電機工程學系", "Department of Electrical Engineering"),
    "CS": ("資訊工程學系", "Department of Computer Science and Information Engineering"),
    "BA": ("企業管理學系", "Department of Business Administration"),
    "ME": ("機械工程學系", "Department of Mechanical Engineering"),
    "AC": ("會計學系", "Department of Accounting"),
}

DIVISIONS: dict[str, tuple[str, str]] = {
    "day": ("日間部", "Day division"),
    "night": ("進修部", "Evening division"),
    "in-service": ("在職專班", "In-service programme"),
}

PROGRAMMES: dict[str, tuple[str, str]] = {
    "associate": ("二技／專科", "Two-year / junior college"),
    "bachelor": ("學士班", "Bachelor"),
    "master": ("碩士班", "Master"),
    "phd": ("博士班", "PhD"),
}


def seed_rows() -> list[dict]:
    """The demo registry as rows of the ``departments`` tables."""
    return [
        {"code": code, "name": zh, "name_en": en, "active": True, "position": n}
        for n, (code, (zh, en)) in enumerate(DEMO_DEPARTMENTS.items(), start=1)
    ]


def in_words(table: Mapping[str, tuple[str, str]], code: str | None, *, english: bool = False) -> str:
    """The name of ``code`` in ``table`` (the code itself when unknown, '' for none)."""
    if not code:
        return ""
    names = table.get(code)
    if not names:
        return code
    return (names[1] or names[0]) if english else names[0]


def division_name(code: str | None, *, english: bool = False) -> str:
    return in_words(DIVISIONS, code, english=english)


def programme_name(code: str | None, *, english: bool = False) -> str:
    return in_words(PROGRAMMES, code, english=english)
