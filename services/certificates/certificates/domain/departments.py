"""The department registry's rules (pure): what a code and its names may be."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import FieldInvalid

CODE = re.compile(r"^[A-Z][A-Z0-9_-]{0,19}$")
# Unicode White_Space, what the schema's \S means (str.strip would also take \x1c–\x1f)
SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


@dataclass
class Department:
    code: str
    name: str
    name_en: str | None = None
    active: bool = True
    position: int = 0

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "active": self.active,
            "position": self.position,
        }


def department_code(raw: str) -> str:
    """Codes are upper case (IM, EE), as the sign-in tokens carry them."""
    code = unicodedata.normalize("NFKC", raw or "").strip().upper()
    if not CODE.match(code):
        raise FieldInvalid(
            "code",
            "系所代碼需為 1–20 個大寫英文字母或數字（例如 IM）",
            "A department code is 1–20 capital letters or digits (e.g. IM)",
            code="invalid_code",
        )
    return code


def check_department(dept: Department) -> Department:
    dept.name = (dept.name or "").strip(SPACE)
    dept.name_en = (dept.name_en or "").strip(SPACE) or None
    if not dept.name or len(dept.name) > 100:
        raise FieldInvalid(
            "name",
            "系所中文名稱必填且最多 100 字",
            "The department's Chinese name is required (at most 100 characters)",
            code="invalid_name",
        )
    if dept.name_en is not None and len(dept.name_en) > 200:
        raise FieldInvalid(
            "name_en",
            "系所英文名稱最多 200 字",
            "The English name may have at most 200 characters",
            code="invalid_name",
        )
    return dept
