"""Background jobs of the notify service: the mail sender and the reminder scheduler."""

from __future__ import annotations

from typing import Any

from ..service_layer.reminders import ReminderSchedule, run_scheduler
from ..service_layer.sender import MailSender


async def mail_sender(runtime: Any) -> None:
    settings = runtime.settings
    deps = runtime.deps
    sender = MailSender(
        runtime.uow,
        deps.transport,
        deps.retry_policy,
        batch=settings.sender_batch,
        concurrency=settings.sender_concurrency,
    )
    await sender.run(deps.wake, settings.sender_interval_s, settings.sender_idle_interval_s)


async def reminder_scheduler(runtime: Any) -> None:
    settings = runtime.settings
    if not settings.scheduler_enabled:
        return
    await run_scheduler(
        runtime.transaction,
        composer=runtime.deps.composer,
        schedule=ReminderSchedule.from_settings(settings),
        interval=settings.scheduler_interval_s,
        wake=runtime.deps.wake.set,
    )
