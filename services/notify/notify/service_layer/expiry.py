"""One digest mail to a student whose certificates expire in 30 or in 7 days (README, "Expiry").

Run by the reminder scheduler at the reminder hour. Each digest is one delivery-log row per (kind, Taipei
day, recipient) — the log's unique key — so a run repeated the same day sends nothing again, and a
certificate is in at most two digests: the day it has 30 days left and the day it has 7.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.mail import EXPIRY_DIGEST, certificate_label
from ..domain.reminders import reminder_event_id
from .composer import ExpiringItem, MailComposer
from .unit_of_work import NotifyUnitOfWork

EXPIRY_EVENT_TYPE = "notify.reminder.certificate_expiry"
WARN_DAYS = (30, 7)


async def remind_expiring(uow: NotifyUnitOfWork, composer: MailComposer, today: date) -> int:
    by_address: dict[str, dict] = {}
    for row in await uow.certificates.expiring_on([today + timedelta(days=d) for d in WARN_DAYS]):
        entry = by_address.setdefault(row.email.strip().lower(), {"name": row.student_name, "items": []})
        entry["items"].append(
            ExpiringItem(
                certificate_label(row.entry_name, row.level_name), row.expires_on, (row.expires_on - today).days
            )
        )
    recorded = 0
    for address, entry in by_address.items():
        mail = composer.expiry_digest(address, entry["name"], entry["items"], today)
        if mail is not None:
            recorded += int(
                await uow.deliveries.enqueue(reminder_event_id(EXPIRY_DIGEST, today), EXPIRY_EVENT_TYPE, mail)
            )
    return recorded
