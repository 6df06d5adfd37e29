"""Request bodies of the rewards API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class QualifyingIn(BaseModel):
    certificate_key: str = Field(min_length=1, max_length=120)
    levels: list[str] | None = None


class StandardIn(BaseModel):
    academic_year: int
    scope: str = Field(min_length=1, max_length=16)
    level: int
    item: int
    name: str = Field(min_length=1, max_length=200)
    amount: int
    required_count: int = 1
    qualifying: list[QualifyingIn] = Field(min_length=1)


class StandardPatch(BaseModel):
    academic_year: int | None = None
    scope: str | None = Field(None, min_length=1, max_length=16)
    level: int | None = None
    item: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    amount: int | None = None
    required_count: int | None = None
    qualifying: list[QualifyingIn] | None = None


class WindowIn(BaseModel):
    opens_at: datetime
    closes_at: datetime


class ApplicationIn(BaseModel):
    standard_id: uuid.UUID
    certificate_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


class ApplicationPatch(BaseModel):
    certificate_ids: list[uuid.UUID] | None = Field(None, min_length=1, max_length=20)


class ReviewIn(BaseModel):
    result: str = Field(min_length=1, max_length=1)
    note: str | None = Field(None, max_length=1000)


class AcknowledgeIn(BaseModel):
    note: str | None = Field(None, max_length=500)


class BulkReviewItem(ReviewIn):
    application_id: uuid.UUID


class PayoutIn(BaseModel):
    application_ids: list[uuid.UUID] = Field(min_length=1, max_length=2000)
