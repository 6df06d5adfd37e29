"""Reward standards (獎勵標準): school-wide and department tables, with the seeds' labels."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from certhub_kit.departments import DEMO_DEPARTMENTS
from certhub_kit.errors import Invalid

SCHOOL = "school"
LEVELS = range(1, 6)
# Department codes and names in standards' labels: the demo registry's (certhub_kit.departments).
DEPARTMENTS: dict[str, str] = {code: zh for code, (zh, _) in DEMO_DEPARTMENTS.items()}


@dataclass(frozen=True)
class Qualifying:
    """A catalog entry (by key) and, optionally, the level names that count."""

    certificate_key: str
    levels: tuple[str, ...] | None = None

    def accepts(self, entry_key: str, level_name: str | None) -> bool:
        if entry_key != self.certificate_key:
            return False
        return self.levels is None or (level_name is not None and level_name in self.levels)

    def as_dict(self) -> dict:
        return {
            "certificate_key": self.certificate_key,
            "levels": list(self.levels) if self.levels is not None else None,
        }


@dataclass(frozen=True)
class RewardStandard:
    id: uuid.UUID
    academic_year: int
    scope: str
    level: int
    item: int
    name: str
    amount: int
    required_count: int
    qualifying: tuple[Qualifying, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return standard_label(self.scope, self.level, self.item, self.name)

    def accepts(self, entry_key: str, level_name: str | None) -> bool:
        return any(q.accepts(entry_key, level_name) for q in self.qualifying)

    def applies_to(self, dept: str | None) -> bool:
        return self.scope == SCHOOL or (dept is not None and self.scope == dept)


def dept_name(code: str, departments: Mapping[str, str] = DEPARTMENTS) -> str:
    return departments.get(code, code)


def standard_label(scope: str, level: int, item: int, name: str, departments: Mapping[str, str] = DEPARTMENTS) -> str:
    """``全校--1級-3項-證券商業務員`` or ``系所-資訊管理學系-2級-16項-TQC+認證`` (as in B3673S)."""
    if scope == SCHOOL:
        return f"全校--{level}級-{item}項-{name}"
    return f"系所-{dept_name(scope, departments)}-{level}級-{item}項-{name}"


def parse_qualifying(items: Iterable[Mapping]) -> tuple[Qualifying, ...]:
    parsed = []
    for raw in items:
        key = str(raw.get("certificate_key") or "").strip()
        if not key:
            raise Invalid(
                "合格證照缺少證照代碼", "A qualifying certificate lacks its certificate_key", code="invalid_standard"
            )
        levels = raw.get("levels")
        parsed.append(Qualifying(key, tuple(str(v) for v in levels) if levels else None))
    return tuple(parsed)


def check_standard(
    *,
    scope: str,
    level: int,
    item: int,
    name: str,
    amount: int,
    required_count: int,
    qualifying: tuple[Qualifying, ...],
    departments: Mapping[str, str] = DEPARTMENTS,
) -> None:
    """Raises ``Invalid`` (zh-TW + English) when a standard cannot exist as given."""
    if scope != SCHOOL and scope not in departments:
        raise Invalid(
            f"未知的適用範圍「{scope}」（請填 school 或系所代碼）",
            f"Unknown scope {scope!r} (use 'school' or a department code)",
            code="invalid_standard",
        )
    if level not in LEVELS:
        raise Invalid("獎勵級別必須是 1 到 5 級", "The level must be between 1 and 5", code="invalid_standard")
    if item < 1:
        raise Invalid("項次必須是正整數", "The item number must be positive", code="invalid_standard")
    if not name.strip() or len(name) > 200:
        raise Invalid(
            "請填寫標準名稱（200 字以內）", "Give the standard a name (at most 200 characters)", code="invalid_standard"
        )
    if amount < 0 or amount > 1_000_000:
        raise Invalid(
            "獎勵金額必須介於 0 到 1,000,000 元",
            "The amount must be between 0 and 1,000,000 NT$",
            code="invalid_standard",
        )
    if required_count < 1 or required_count > 20:
        raise Invalid(
            "所需證照數量必須介於 1 到 20", "The required count must be between 1 and 20", code="invalid_standard"
        )
    if not qualifying:
        raise Invalid("請至少指定一項合格證照", "Name at least one qualifying certificate", code="invalid_standard")
