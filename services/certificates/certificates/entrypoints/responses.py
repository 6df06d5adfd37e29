"""What the certificates service answers: the response models of its endpoints.

Built from the views (``service_layer/views.py``, ``rosters.prefill_item``, ``Department.as_dict``) and
the use cases' return values; a response model keeps only its fields, so each one lists them all.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from certhub_kit.response_models import Page, ResponseModel


class NeverExpiresOut(ResponseModel):
    kind: Literal["never"]


class ValidForYearsOut(ResponseModel):
    kind: Literal["years"]
    years: int


class ValidUntilOut(ResponseModel):
    kind: Literal["until"]
    date: datetime.date


ValidityOut = Annotated[NeverExpiresOut | ValidForYearsOut | ValidUntilOut, Field(discriminator="kind")]


class Level(ResponseModel):
    id: str
    name: str
    name_en: str | None
    cefr: str | None
    min_score: int | float | None
    max_score: int | float | None


class Entry(ResponseModel):
    id: str
    key: str
    name: str
    name_en: str | None
    issuer: str
    category: int
    foreign: bool
    national_code: str | None
    it_certificate: bool
    bundle: str | None
    active: bool
    validity: ValidityOut
    aliases: list[str]
    levels: list[Level]


class EntryPage(Page):
    items: list[Entry]


class EntryList(ResponseModel):
    items: list[Entry]


class Category(ResponseModel):
    code: int
    name: str
    name_en: str | None


class CategoryList(ResponseModel):
    items: list[Category]


class ImportCounts(ResponseModel):
    created: int
    updated: int
    unchanged: int
    rows: int


class CatalogRequest(ResponseModel):
    id: str
    student_id: str
    student_name: str | None
    dept: str | None
    name: str
    issuer: str | None
    level_name: str | None
    note: str | None
    status: str
    reason: str | None
    entry_id: str | None
    answered_by: str | None
    answered_at: str | None
    created_at: str | None


class AcceptedRequest(CatalogRequest):
    entry: Entry


class CatalogRequestPage(Page):
    items: list[CatalogRequest]


class Certificate(ResponseModel):
    id: str
    entry_id: str
    entry_key: str
    entry_name: str
    entry_name_en: str | None
    category: int
    level_id: str | None
    level_name: str | None
    cefr: str | None
    score: str | None
    issued_on: str
    certificate_no: str | None
    email: str
    phone: str | None
    mobile: str | None
    remarks: str | None
    status: str
    status_label: str
    status_label_en: str
    thumbnail_url: str
    scan_url: str
    scan_content_type: str
    scan_pages: int | None
    reviewer: str | None
    reviewed_at: str | None
    review_reason: str | None
    review_reason_code: str | None
    review_instruction: str | None
    review_instruction_en: str | None
    can_edit: bool
    can_delete: bool
    student_id: str
    student_name: str | None
    dept: str | None
    version: int
    created_at: str | None
    submitted_at: str | None
    expires_on: str | None = Field(description="the last day it counts; null = never expires")
    expired: bool
    roster_id: str | None


class CertificatePage(Page):
    items: list[Certificate]


class ConfirmationSent(ResponseModel):
    sent: bool
    expires_at: str


class Department(ResponseModel):
    code: str
    name: str
    name_en: str | None
    active: bool
    position: int


class DepartmentList(ResponseModel):
    items: list[Department]


class RosterRow(ResponseModel):
    row: int
    status: str
    message: str
    message_en: str
    student_no: str | None


class RosterUpload(ResponseModel):
    rows: list[RosterRow]
    created: int
    dry_run: bool
    roster_id: str | None = Field(None, description="absent on a dry run")


class Prefill(ResponseModel):
    id: str
    roster_id: str
    entry_id: str
    entry_key: str
    entry_name: str
    entry_name_en: str | None
    national_code: str | None
    level_id: str | None
    level_name: str | None
    score: str | None
    issued_on: str
    certificate_no: str | None
    status: str
    status_label: str
    status_label_en: str
    created_at: str


class PrefillList(ResponseModel):
    items: list[Prefill]


class ReportItem(ResponseModel):
    certificate_id: str
    entry_id: str
    cells: list[Any] = Field(description="the KSU columns, in the order of ``columns``")


class CodeCount(ResponseModel):
    national_code: str
    name: str
    issuer: str
    count: int


class MoeReport(ResponseModel):
    year: int
    semester: int | None
    rows: list[ReportItem]
    counts: list[CodeCount]
    uncoded: list[ReportItem]
    columns: list[str]
