"""Review items for unit tests (plain domain objects, no servers)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from review.domain.item import ReviewItem


def item(**overrides) -> ReviewItem:
    values = dict(
        certificate_id=uuid.uuid4(),
        version=1,
        student_id="s1100001",
        student_name="王小明",
        dept="IM",
        entry_key="tqc-word",
        entry_name="TQC 文書處理",
        category=3,
        issued_on=date(2024, 3, 1),
        status="submitted",
        registered_at=datetime(2024, 4, 1, 2, 0, tzinfo=UTC),
        submitted_at=datetime(2024, 4, 2, 2, 0, tzinfo=UTC),
        it_certificate=True,
        bundle=None,
    )
    values.update(overrides)
    return ReviewItem(**values)
