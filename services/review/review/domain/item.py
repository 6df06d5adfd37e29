"""A certificate in the review queue: the latest snapshot plus what review adds to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .academic_year import academic_year_of, taipei_date
from .statuses import REVIEWABLE


@dataclass
class RuleResult:
    rule: str
    passed: bool
    reason: str
    reason_en: str
    blocking: bool = True  # a failed blocking rule needs a reason to be overridden

    def as_dict(self) -> dict:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason, "reason_en": self.reason_en}


@dataclass
class Flag:
    code: str  # duplicate_certificate_no | similar_scan
    reason: str
    reason_en: str
    certificate_id: str
    dept: str | None = None  # the other certificate's department: who may be shown which one it is

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "reason": self.reason,
            "reason_en": self.reason_en,
            "certificate_id": self.certificate_id,
            "dept": self.dept,
        }


@dataclass
class ReviewItem:
    certificate_id: uuid.UUID
    version: int
    student_id: str
    student_name: str
    dept: str | None
    entry_key: str
    entry_name: str
    category: int
    issued_on: date
    status: str
    registered_at: datetime
    submitted_at: datetime | None = None
    it_certificate: bool = False
    bundle: str | None = None
    level_name: str | None = None
    certificate_no: str | None = None
    scan_phash: str | None = None
    original_checked_at: datetime | None = None
    awaiting_status: str | None = None
    track: str | None = None
    checklist: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    content_version: int = 1  # the version at which what was verified last changed

    @property
    def reviewable(self) -> bool:
        return self.status in REVIEWABLE

    @property
    def reported_on(self) -> date:
        """The day the student reported it (通報登錄日期): the registration date in Taipei."""
        return taipei_date(self.registered_at)

    @property
    def academic_year(self) -> int:
        """The year whose rule version judges this item: the year it was submitted in."""
        return academic_year_of(taipei_date(self.submitted_at or self.registered_at))

    def failed_rules(self) -> list[str]:
        """Failed rules that need an override reason (the bundle rule is handled by ``rereview``)."""
        return [c["rule"] for c in self.checklist if not c["passed"] and c["rule"] != "bundle"]
