"""A student's certificate as stored, with what the catalog says about its entry and level."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from . import status as machine
from . import validity


@dataclass
class Certificate:
    """Field names match the ``certificates`` columns; the catalog's are prefixed as in the
    repository's join (``entry_*``, ``level_name*``, ``cefr``)."""

    id: uuid.UUID
    student_id: str
    student_name: str
    dept: str | None
    entry_id: uuid.UUID
    issued_on: date
    email: str
    status: str
    scan_key: str
    scan_content_type: str
    thumbnail_key: str
    entry_key: str
    entry_name: str
    category: int
    created_at: datetime
    updated_at: datetime
    student_email: str | None = None
    division: str | None = None
    program: str | None = None
    klass: str | None = None
    level_id: uuid.UUID | None = None
    score: str | None = None
    certificate_no: str | None = None
    phone: str | None = None
    mobile: str | None = None
    remarks: str | None = None
    version: int = 1
    content_version: int = 1  # the version at which what was verified last changed (VERIFIED_FIELDS)
    needs_confirmation: bool = False
    scan_pages: int = 1
    scan_phash: str | None = None
    reviewer_id: str | None = None
    reviewer_name: str | None = None
    reviewed_at: datetime | None = None
    review_reason: str | None = None
    review_reason_code: str | None = None
    review_instruction: str | None = None
    review_instruction_en: str | None = None
    submitted_at: datetime | None = None
    roster_id: uuid.UUID | None = None
    # from the catalog
    entry_name_en: str | None = None
    entry_issuer: str | None = None
    it_certificate: bool = False
    bundle: str | None = None
    national_code: str | None = None
    entry_validity: dict | None = None
    level_name: str | None = None
    level_name_en: str | None = None
    cefr: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Certificate:
        """From a row mapping of the repository's join (columns it does not know are ignored)."""
        return cls(**{name: row[name] for name in FIELDS if name in row})

    @property
    def editable(self) -> bool:
        return machine.can_edit(self.status)

    @property
    def expires_on(self) -> date | None:
        """The last day it counts (None = never), from the catalog entry's validity."""
        return validity.expires_on(self.entry_validity, self.issued_on)

    def verified_changes(self, changes: dict[str, Any], *, new_scan: bool) -> list[str]:
        """The verified fields an edit really changes (the same value sent again is no change)."""
        current = {name: getattr(self, name) for name in machine.VERIFIED_FIELDS}
        return machine.verified_changes(current, changes, new_scan=new_scan)


FIELDS = tuple(f.name for f in fields(Certificate))
