"""Request bodies of the rewards API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Flag = Literal["subsidised", "threshold"]  # domain.rules.FLAGS
Ranking = Literal["earliest", "highest_level", "highest_amount"]  # domain.rules.RANKINGS


class Body(BaseModel):
    """An unknown field is a 422 naming it, never silently dropped (a typo'd PATCH would answer 200)."""

    model_config = ConfigDict(extra="forbid")


class QualifyingIn(Body):
    certificate_key: str = Field(min_length=1, max_length=120)
    levels: list[str] | None = None


class StandardIn(Body):
    academic_year: int
    scope: str = Field(min_length=1, max_length=16)
    level: int
    item: int
    name: str = Field(min_length=1, max_length=200)
    amount: int
    required_count: int = 1
    qualifying: list[QualifyingIn] = Field(min_length=1)


class StandardPatch(Body):
    academic_year: int | None = None
    scope: str | None = Field(None, min_length=1, max_length=16)
    level: int | None = None
    item: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    amount: int | None = None
    required_count: int | None = None
    qualifying: list[QualifyingIn] | None = None


class WindowIn(Body):
    opens_at: datetime
    closes_at: datetime


class ApplicationIn(Body):
    standard_id: uuid.UUID
    certificate_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)
    flags: list[Flag] = Field(default_factory=list, max_length=10)  # rules.FLAGS the student declares


class ApplicationPatch(Body):
    certificate_ids: list[uuid.UUID] | None = Field(None, min_length=1, max_length=20)


class ReviewIn(Body):
    result: str = Field(min_length=1, max_length=1)
    note: str | None = Field(None, max_length=1000)


class AcknowledgeIn(Body):
    note: str | None = Field(None, max_length=500)


class BulkReviewItem(ReviewIn):
    application_id: uuid.UUID


class PayoutIn(Body):
    application_ids: list[uuid.UUID] = Field(min_length=1, max_length=2000)


class RulesIn(Body):
    cap_per_student: int | None = Field(None, ge=0, le=100_000_000)
    budget: int | None = Field(None, ge=0, le=100_000_000)
    exclusions: list[Flag] = Field(default_factory=list, max_length=10)
    ranking: Ranking = "earliest"
    return_fee: int = Field(0, ge=0, le=100_000)


class FlagsIn(Body):
    flags: list[Flag] = Field(max_length=10)


class ReuseAccountIn(Body):
    from_application_id: uuid.UUID
