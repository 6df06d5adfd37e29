"""Turns what happened into mails: picks the template, builds its context and the links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import structlog

from certhub_kit.department_copy import DepartmentNames
from certhub_kit.events.certificates import CatalogRequestAnswered, CertificateSnapshot, CertificateStatusChanged
from certhub_kit.events.rewards import ApplicationReviewed, RewardPaid, TransferReturned

from ..domain.mail import (
    CATALOG_REQUEST_ANSWERED,
    CENTER_OVERDUE_DIGEST,
    CONFIRM_CERTIFICATE,
    EXPIRY_DIGEST,
    REVIEWER_DIGEST,
    REWARD_PAID,
    REWARD_TRANSFER_RETURNED,
    Mail,
    certificate_label,
    plausible_address,
    template_for_status,
)
from ..domain.reminders import RewardWindow

log = structlog.get_logger("notify.composer")


class Renderer(Protocol):
    def render(self, name: str, context: dict[str, Any]) -> Any:
        """Returns an object with ``subject``, ``text`` and ``html``."""


@dataclass(frozen=True)
class DigestItem:
    certificate_label: str
    student_name: str
    student_id: str
    status: str
    since: datetime
    age_days: int
    dept: str | None = None
    due_on: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class ExpiringItem:
    certificate_label: str
    expires_on: date
    days_left: int


class MailComposer:
    def __init__(self, templates: Renderer, public_base_url: str):
        self.templates = templates
        self.base_url = public_base_url.rstrip("/")

    def link(self, route: str) -> str:
        """A link into the web client (hash routes), always from the configured base URL."""
        return f"{self.base_url}/#{route}"

    def _mail(self, recipient: str | None, template: str, context: dict[str, Any]) -> Mail | None:
        if recipient is None or not plausible_address(recipient):
            log.warning("mail_skipped_no_address", template=template)  # the address itself is not logged
            return None
        rendered = self.templates.render(template, {"base_url": self.base_url, **context})
        return Mail(
            recipient=recipient.strip(),
            template=template,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
        )

    # --- certificates ---------------------------------------------------------
    def confirmation(
        self, certificate: CertificateSnapshot, url: str, expires_at: datetime | None, *, resent: bool
    ) -> Mail | None:
        return self._mail(
            certificate.student.email,
            CONFIRM_CERTIFICATE,
            {
                **self._certificate_context(certificate),
                "confirmation_url": url,
                "expires_at": expires_at,
                "resent": resent,
            },
        )

    def status_change(self, event: CertificateStatusChanged, changed_at: datetime) -> Mail | None:
        template = template_for_status(event.to_status)
        if template is None:
            return None
        return self._mail(
            event.certificate.student.email,
            template,
            {
                **self._certificate_context(event.certificate),
                "reason": (event.reason or "").strip(),
                "instruction": (event.instruction or "").strip(),
                "instruction_en": (event.instruction_en or "").strip(),
                "changed_at": changed_at,
                "edit_url": self.link(f"/certificates/{event.certificate.certificate_id}/edit"),
            },
        )

    def _certificate_context(self, certificate: CertificateSnapshot) -> dict[str, Any]:
        return {
            "student_name": certificate.student.name,
            "certificate_label": certificate_label(certificate.entry_name, certificate.level_name),
            "issued_on": certificate.issued_on,
            "certificates_url": self.link("/certificates"),
        }

    def catalog_answer(self, event: CatalogRequestAnswered) -> Mail | None:
        return self._mail(
            event.student.email,
            CATALOG_REQUEST_ANSWERED,
            {
                "student_name": event.student.name,
                "requested_name": event.name,
                "accepted": event.accepted,
                "reason": (event.reason or "").strip(),
                "register_url": self.link("/certificates/new"),
                "request_url": self.link("/catalog-request"),
            },
        )

    # --- rewards --------------------------------------------------------------
    def reward_reviewed(self, event: ApplicationReviewed, template: str) -> Mail | None:
        return self._mail(
            event.student.email,
            template,
            {
                "student_name": event.student.name,
                "academic_year": event.academic_year,
                "standard_label": event.standard_label,
                "amount": event.amount,
                "passed": event.result.strip().upper() == "Y",
                "note": (event.note or "").strip(),
                "reviewed_at": event.reviewed_at,
                "rewards_url": self.link("/rewards/mine"),
            },
        )

    def reward_paid(self, event: RewardPaid) -> Mail | None:
        return self._mail(
            event.student.email,
            REWARD_PAID,
            {
                "student_name": event.student.name,
                "academic_year": event.academic_year,
                "standard_label": event.standard_label,
                "amount": event.amount,
                "paid_at": event.paid_at,
                "rewards_url": self.link("/rewards/mine"),
            },
        )

    def transfer_returned(self, event: TransferReturned) -> Mail | None:
        return self._mail(
            event.student.email,
            REWARD_TRANSFER_RETURNED,
            {
                "student_name": event.student.name,
                "academic_year": event.academic_year,
                "standard_label": event.standard_label,
                "amount": event.amount,
                "fee": event.fee,
                "reason": event.reason,
                "returned_at": event.returned_at,
                "rewards_url": self.link("/rewards/mine"),
            },
        )

    # --- reminders ------------------------------------------------------------
    def window_reminder(
        self, kind: str, window: RewardWindow, *, recipient: str, student_name: str, certificates: Sequence[str]
    ) -> Mail | None:
        return self._mail(
            recipient,
            kind,
            {
                "student_name": student_name,
                "academic_year": window.academic_year,
                "opens_on": window.opens_on,
                "closes_on": window.closes_on,
                "certificates": list(certificates),
                "apply_url": self.link("/rewards/apply"),
            },
        )

    def expiry_digest(
        self, recipient: str, student_name: str, items: Sequence[ExpiringItem], today: date
    ) -> Mail | None:
        return self._mail(
            recipient,
            EXPIRY_DIGEST,
            {
                "student_name": student_name,
                "items": list(items),
                "today": today,
                "certificates_url": self.link("/certificates"),
                "register_url": self.link("/certificates/new"),
            },
        )

    def reviewer_digest(
        self,
        depts: str | Sequence[str],
        recipient: str,
        items: Sequence[DigestItem],
        today: date,
        *,
        names: DepartmentNames,
    ) -> Mail | None:
        """One mail per reviewer and day: the pending items of all their departments, named from the
        department registry's copy (``names``)."""
        depts = [depts] if isinstance(depts, str) else sorted(depts)
        route = f"/review/queue?dept={depts[0]}" if len(depts) == 1 else "/review/queue"
        return self._mail(
            recipient,
            REVIEWER_DIGEST,
            {
                "dept": ",".join(depts),
                "dept_zh": "、".join(names.zh(d) for d in depts),
                "dept_en": ", ".join(names.en(d) for d in depts),
                "items": list(items),
                "today": today,
                "overdue_count": sum(1 for i in items if i.overdue),
                "queue_url": self.link(route),
            },
        )

    def overdue_digest(
        self, recipient: str, items: Sequence[DigestItem], today: date, *, names: DepartmentNames
    ) -> Mail | None:
        """The centre's daily list of overdue items across departments (named as in reviewer_digest)."""
        return self._mail(
            recipient,
            CENTER_OVERDUE_DIGEST,
            {
                "items": [{**vars(i), "dept_zh": names.zh(i.dept), "dept_en": names.en(i.dept)} for i in items],
                "today": today,
                "overdue_url": self.link("/center/overdue"),
            },
        )
