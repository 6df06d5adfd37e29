"""Events of the rewards service. Bank details never travel in events."""

from __future__ import annotations

import uuid
from datetime import datetime

from .certificates import StudentRef
from .envelope import EventData


class ApplicationSubmitted(EventData):
    type_name = "reward.application_submitted.v1"
    application_id: uuid.UUID
    student: StudentRef
    academic_year: int
    standard_label: str
    amount: int
    certificate_ids: list[uuid.UUID]


class ApplicationWithdrawn(EventData):
    type_name = "reward.application_withdrawn.v1"
    application_id: uuid.UUID
    student: StudentRef
    certificate_ids: list[uuid.UUID]


class ApplicationReviewed(EventData):
    """Common shape of 初審 and 複審 results."""

    application_id: uuid.UUID
    student: StudentRef
    academic_year: int
    standard_label: str
    amount: int
    result: str
    note: str | None = None
    reviewer_id: str
    reviewer_name: str
    reviewed_at: datetime


class FirstReviewed(ApplicationReviewed):
    type_name = "reward.first_reviewed.v1"


class SecondReviewed(ApplicationReviewed):
    type_name = "reward.second_reviewed.v1"


class _BatchedReward(EventData):
    """Common shape of what happens to a reward in a payout batch."""

    application_id: uuid.UUID
    batch_id: uuid.UUID
    student: StudentRef
    academic_year: int
    standard_label: str
    amount: int


class RewardPaid(_BatchedReward):
    type_name = "reward.paid.v1"
    paid_at: datetime


class TransferReturned(_BatchedReward):
    """The bank returned a reward transfer (退匯): the application needs a corrected account."""

    type_name = "reward.transfer_returned.v1"
    fee: int = 0
    reason: str
    returned_at: datetime
