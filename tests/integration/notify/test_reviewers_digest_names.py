"""Mails name departments from notify's copy of the department registry (department.changed.v1): a
department renamed by the admin is named anew in the next digest; a department the registry does not
know is named by its code."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from certhub_kit.events.certificates import DepartmentChanged
from tests.unit.notify import samples

from .conftest import CENTER, REVIEWER_TQ
from .support import parts_of, subject_of, to, unique_address
from .test_reminders import feed, run


def pending(dept: str, label: str):
    return samples.status_changed(
        "submitted", unique_address("names"), from_status="draft", dept=dept, entry_name=label, level_name=None
    )


async def test_a_renamed_department_is_named_anew_in_the_next_digest(publisher, runtime, smtp_sink):
    tag = uuid.uuid4().hex[:6]
    first, second = f"品質管理學系{tag}", f"品質科學與管理學系{tag}"
    first_en, second_en = f"Department of Quality Management {tag}", f"Department of Quality Science {tag}"
    label, stranger = f"更名前證照{tag}", f"未登錄系所證照{tag}"
    await feed(
        publisher,
        runtime,
        DepartmentChanged(code="TQ", name=first, name_en=first_en, position=90),
        pending("TQ", label),
        pending("ZZ", stranger),
    )
    day = (datetime.now(UTC) + timedelta(days=30)).replace(hour=2, minute=0)  # 10:00 in Taipei, items overdue
    assert await run(runtime, day) >= 1
    [digest] = await smtp_sink.wait_for(lambda m: to(REVIEWER_TQ)(m) and label in parts_of(m)["text/plain"])
    text = parts_of(digest)["text/plain"]
    assert first in subject_of(digest) and f"{first}審核人員您好" in text and first_en in text
    assert "TQ" not in subject_of(digest)
    [overdue] = await smtp_sink.wait_for(lambda m: to(CENTER)(m) and label in parts_of(m)["text/plain"])
    listed = parts_of(overdue)["text/plain"]
    assert f"{first} — {label}" in listed and f"{first_en} — {label}" in listed
    assert f"ZZ — {stranger}" in listed, "a department the registry does not know: its code"

    await feed(publisher, runtime, DepartmentChanged(code="TQ", name=second, name_en=second_en, position=90))
    assert await run(runtime, day + timedelta(days=1)) >= 1
    [renamed] = await smtp_sink.wait_for(
        lambda m: to(REVIEWER_TQ)(m) and label in parts_of(m)["text/plain"] and second in subject_of(m)
    )
    text = parts_of(renamed)["text/plain"]
    assert f"{second}審核人員您好" in text and second_en in text
    assert first not in text and first_en not in text
    assert (
        f"{second_en} — {label}"
        in parts_of((await smtp_sink.wait_for(lambda m: to(CENTER)(m) and second in parts_of(m)["text/plain"]))[0])[
            "text/plain"
        ]
    )
