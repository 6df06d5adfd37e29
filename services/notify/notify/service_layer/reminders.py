"""Reminders: the reward window to students with unused approved certificates, one daily digest
per reviewer of the pending items of all their departments (overdue ones marked), and the centre's
daily digest of overdue items across departments. Departments are named from notify's copy of the
department registry (``department.changed.v1``; an unknown code is shown as itself).

``send_due_reminders`` takes "now" from its caller (the scheduler loop, or a test) and is
idempotent per (kind, Taipei day, recipient) through the delivery log's unique key.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog

from certhub_kit.department_copy import DepartmentNames

from ..domain.calendar import taipei_date
from ..domain.mail import CENTER_OVERDUE_DIGEST, REVIEWER_DIGEST, Mail, certificate_label, plausible_address
from ..domain.overdue import due_on, is_overdue, sla_for
from ..domain.reminders import (
    RewardWindow,
    age_in_days,
    is_due,
    reminder_event_id,
    window_reminder_due,
    windows_around,
)
from .composer import DigestItem, MailComposer
from .expiry import remind_expiring
from .unit_of_work import NotifyUnitOfWork

log = structlog.get_logger("notify.reminders")

WINDOW_EVENT_TYPE = "notify.reminder.reward_window"
DIGEST_EVENT_TYPE = "notify.reminder.reviewer_digest"
OVERDUE_EVENT_TYPE = "notify.reminder.center_overdue_digest"


@dataclass(frozen=True)
class ReminderSchedule:
    reminder_hour: int = 8
    digest_hour: int = 8
    window_opens: str = "04-01"
    window_closes: str = "04-30"
    reviewer_emails: dict[str, list[str]] = field(default_factory=dict)  # configured, besides those seen
    center_emails: list[str] = field(default_factory=list)  # the overdue digest, besides centre staff seen
    reviewers_seen_within: timedelta = timedelta(days=180)

    @classmethod
    def from_settings(cls, settings: Any) -> ReminderSchedule:
        return cls(
            reminder_hour=settings.reminder_hour,
            digest_hour=settings.digest_hour,
            window_opens=settings.reward_window_opens,
            window_closes=settings.reward_window_closes,
            reviewer_emails=dict(settings.reviewer_emails),
            center_emails=list(settings.center_emails),
            reviewers_seen_within=timedelta(days=settings.reviewer_seen_days),
        )


async def send_due_reminders(
    uow: NotifyUnitOfWork,
    now: datetime,
    *,
    composer: MailComposer,
    schedule: ReminderSchedule,
    wake: Callable[[], None] | None = None,
) -> int:
    """Record every reminder due at ``now`` that was not recorded yet; return how many are new (the caller
    commits)."""
    today = taipei_date(now)
    recorded = 0
    if is_due(now, schedule.reminder_hour):
        for window in windows_around(today, schedule.window_opens, schedule.window_closes):
            kind = window_reminder_due(window, today)
            if kind is not None:
                recorded += await _remind_students(uow, composer, kind, window, today)
        recorded += await remind_expiring(uow, composer, today)
    if is_due(now, schedule.digest_hour):
        recipients = await digest_recipients(uow, schedule, now)
        pending = await pending_items(uow, now, today)
        names = await uow.departments.names()
        recorded += await _send_digests(uow, composer, recipients, pending, today, names)
        overdue = [i for i in pending if i.overdue]
        recorded += await _send_overdue_digest(
            uow, composer, await center_recipients(uow, schedule, now), overdue, today, names
        )
    if recorded and wake is not None:
        uow.after_commit(wake)
    return recorded


async def _record(uow: NotifyUnitOfWork, kind: str, today: date, event_type: str, mail: Mail | None) -> int:
    if mail is None:
        return 0
    return int(await uow.deliveries.enqueue(reminder_event_id(kind, today), event_type, mail))


async def _remind_students(
    uow: NotifyUnitOfWork, composer: MailComposer, kind: str, window: RewardWindow, today: date
) -> int:
    by_address: dict[str, dict[str, Any]] = {}
    for row in await uow.certificates.unused_eligible():
        entry = by_address.setdefault(row.email.strip().lower(), {"name": row.student_name, "labels": []})
        entry["labels"].append(certificate_label(row.entry_name, row.level_name))
    recorded = 0
    for address, entry in by_address.items():
        mail = composer.window_reminder(
            kind, window, recipient=address, student_name=entry["name"], certificates=entry["labels"]
        )
        recorded += await _record(uow, kind, today, WINDOW_EVENT_TYPE, mail)
    return recorded


async def digest_recipients(uow: NotifyUnitOfWork, schedule: ReminderSchedule, now: datetime) -> dict[str, list[str]]:
    """Per department: the configured addresses, then the reviewers seen signing in (recently), once each."""
    seen = await uow.reviewers.addresses_by_dept(now - schedule.reviewers_seen_within)
    recipients: dict[str, list[str]] = {}
    for dept in {*schedule.reviewer_emails, *seen}:
        addresses = [*schedule.reviewer_emails.get(dept, []), *seen.get(dept, [])]
        unique = dict.fromkeys(a.strip().lower() for a in addresses if plausible_address(a.strip()))
        recipients[dept] = list(unique)
    return recipients


async def center_recipients(uow: NotifyUnitOfWork, schedule: ReminderSchedule, now: datetime) -> list[str]:
    """The configured centre addresses, then centre staff seen signing in (recently), once each."""
    seen = await uow.reviewers.center_addresses(now - schedule.reviewers_seen_within)
    return list(
        dict.fromkeys(a.strip().lower() for a in [*schedule.center_emails, *seen] if plausible_address(a.strip()))
    )


async def pending_items(uow: NotifyUnitOfWork, now: datetime, today: date) -> list[DigestItem]:
    """Every item awaiting review, oldest first, with its due date from its track's SLA."""
    slas = await uow.track_sla.all()
    found = []
    for row in await uow.certificates.pending_review():
        sla = sla_for(slas, row.category, row.dept)
        found.append(
            DigestItem(
                certificate_label=certificate_label(row.entry_name, row.level_name),
                student_name=row.student_name,
                student_id=row.student_id,
                status=row.status,
                since=row.status_since,
                age_days=age_in_days(row.status_since, now),
                dept=row.dept,
                due_on=due_on(row.status_since, sla),
                overdue=is_overdue(row.status_since, sla, today),
            )
        )
    return found


def by_reviewer(recipients: dict[str, list[str]]) -> dict[str, list[str]]:
    """Address → the departments it reviews: a reviewer of several departments gets ONE digest."""
    depts: dict[str, list[str]] = defaultdict(list)
    for dept, addresses in recipients.items():
        for address in addresses:
            depts[address].append(dept)
    return depts


async def _send_digests(
    uow: NotifyUnitOfWork,
    composer: MailComposer,
    reviewer_emails: dict[str, list[str]],
    pending: list[DigestItem],
    today: date,
    names: DepartmentNames,
) -> int:
    by_dept: dict[str, list[DigestItem]] = defaultdict(list)
    for item in pending:
        if item.dept is not None:
            by_dept[item.dept].append(item)
    recorded = 0
    for address, depts in by_reviewer(reviewer_emails).items():
        items = sorted((i for d in depts for i in by_dept.get(d, [])), key=lambda i: i.since)
        if items:
            mail = composer.reviewer_digest(depts, address, items, today, names=names)
            recorded += await _record(uow, REVIEWER_DIGEST, today, DIGEST_EVENT_TYPE, mail)
    return recorded


async def _send_overdue_digest(
    uow: NotifyUnitOfWork,
    composer: MailComposer,
    addresses: list[str],
    overdue: list[DigestItem],
    today: date,
    names: DepartmentNames,
) -> int:
    if not overdue:
        return 0
    recorded = 0
    for address in addresses:
        mail = composer.overdue_digest(address, overdue, today, names=names)
        recorded += await _record(uow, CENTER_OVERDUE_DIGEST, today, OVERDUE_EVENT_TYPE, mail)
    return recorded


async def run_scheduler(
    transaction: Callable[[Callable[[NotifyUnitOfWork], Awaitable[int]]], Awaitable[int]],
    *,
    composer: MailComposer,
    schedule: ReminderSchedule,
    interval: float,
    wake: Callable[[], None],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    while True:
        try:
            now = clock()

            async def due(uow: NotifyUnitOfWork, now: datetime = now) -> int:
                return await send_due_reminders(uow, now, composer=composer, schedule=schedule, wake=wake)

            await transaction(due)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("reminder_run_failed", error=repr(exc))
        await asyncio.sleep(interval)
