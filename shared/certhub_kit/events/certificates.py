"""Events of the certificates service (catalog and students' certificates)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel

from .envelope import EventData


class StudentRef(BaseModel):
    """Who a certificate or application belongs to, as the token described them."""

    id: str
    name: str
    email: str | None = None
    dept: str | None = None
    division: str | None = None
    program: str | None = None
    class_: str | None = None


class CertificateSnapshot(BaseModel):
    """Everything other services need to know about a student's certificate (never the scan)."""

    certificate_id: uuid.UUID
    student: StudentRef
    entry_id: uuid.UUID
    entry_key: str
    entry_name: str
    entry_name_en: str | None = None  # optional fields added later: older producers leave them out
    entry_issuer: str | None = None
    category: int
    it_certificate: bool = False
    bundle: str | None = None
    national_code: str | None = None
    level_id: uuid.UUID | None = None
    level_name: str | None = None
    level_name_en: str | None = None
    cefr: str | None = None
    score: str | None = None
    issued_on: date
    certificate_no: str | None = None
    scan_phash: str | None = None
    status: str
    version: int = 1  # grows with every change; consumers ignore a snapshot older than what they hold
    # the version at which what was verified (entry, level, score, number, date, scan) last changed: a
    # decision or an original check taken on an older version no longer applies
    content_version: int = 1
    registered_at: datetime
    submitted_at: datetime | None = None
    # the last day the certificate counts (catalog validity); None = never expires or an older producer
    expires_on: date | None = None


class CertificateRegistered(EventData):
    type_name = "certificate.registered.v1"
    certificate: CertificateSnapshot
    confirmation_url: str | None = None
    confirmation_expires_at: datetime | None = None


class CertificateConfirmationResent(EventData):
    type_name = "certificate.confirmation_resent.v1"
    certificate: CertificateSnapshot
    confirmation_url: str
    confirmation_expires_at: datetime


class CertificateConfirmed(EventData):
    type_name = "certificate.confirmed.v1"
    certificate: CertificateSnapshot


class CertificateUpdated(EventData):
    type_name = "certificate.updated.v1"
    certificate: CertificateSnapshot
    resubmitted: bool = False
    restarted: bool = False  # what was verified changed (or a resubmission): back to the start of the track


class CertificateDeleted(EventData):
    type_name = "certificate.deleted.v1"
    certificate_id: uuid.UUID
    student_id: str


class CertificateStatusChanged(EventData):
    type_name = "certificate.status_changed.v1"
    certificate: CertificateSnapshot
    from_status: str
    to_status: str
    reason: str | None = None
    actor_id: str | None = None
    actor_name: str | None = None
    # A rejection's code from review's reason list and the fix instruction the student is shown.
    reason_code: str | None = None
    instruction: str | None = None
    instruction_en: str | None = None


class CatalogRequestFiled(EventData):
    type_name = "catalog.request_filed.v1"
    request_id: uuid.UUID
    student: StudentRef
    name: str
    issuer: str | None = None
    level_name: str | None = None


class CatalogRequestAnswered(EventData):
    type_name = "catalog.request_answered.v1"
    request_id: uuid.UUID
    student: StudentRef
    name: str
    accepted: bool
    entry_id: uuid.UUID | None = None
    reason: str | None = None


class DepartmentChanged(EventData):
    """The admin created or changed a department of the registry (the whole row, so consumers upsert)."""

    type_name = "department.changed.v1"
    code: str
    name: str
    name_en: str | None = None
    active: bool = True
    position: int = 0
