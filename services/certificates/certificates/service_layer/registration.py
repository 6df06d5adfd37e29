"""A student registers, edits, resubmits or deletes a certificate.

Everything is checked before the first write; objects are put only after the checks,
and removed again if the transaction does not commit (``uow.on_rollback``). The caller commits.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from certhub_kit.auth import Principal
from certhub_kit.errors import Conflict, TooManyRequests
from certhub_kit.events.certificates import (
    CertificateConfirmationResent,
    CertificateDeleted,
    CertificateRegistered,
    CertificateUpdated,
)
from certhub_kit.scans import Scan, checked_scan
from certhub_kit.storage import ObjectStorage

from ..domain import registration as rules
from ..domain import status as machine
from ..domain.certificate import Certificate
from ..domain.confirmation import ResendLimits, confirmation_url, issue_token, needs_confirmation, resend_wait
from ..domain.errors import FieldInvalid
from ..settings import CertificatesSettings
from . import scans
from .access import ensure_owner, ensure_student
from .catalog import parse_id
from .unit_of_work import CertificatesUnitOfWork
from .views import snapshot

TAIPEI = ZoneInfo("Asia/Taipei")
OPTIONAL_TEXT = ("score", "certificate_no", "remarks", "phone", "mobile")


@dataclass
class CertificateInput:
    """The multipart fields that were sent (absent ≠ empty) and the scan's bytes, if any."""

    values: dict[str, str] = field(default_factory=dict)
    scan: bytes | None = None


def today_in_taipei() -> date:
    return datetime.now(TAIPEI).date()


def _checked_fields(data: CertificateInput, *, partial: bool) -> dict[str, Any]:
    """Pure checks of the typed fields (those present when ``partial``)."""
    values, out = data.values, dict[str, Any]()
    for name in OPTIONAL_TEXT:
        if name in values or not partial:
            out[name] = rules.clean_text(name, values.get(name))
    for name in ("phone", "mobile"):
        if name in out:
            rules.check_phone(name, out[name])
    if "issued_on" in values or not partial:
        out["issued_on"] = rules.parse_issued_on(values.get("issued_on"), today=today_in_taipei())
    if "email" in values or not partial:
        out["email"] = rules.email_field(values.get("email"))
    return out


async def _checked_scan(data: CertificateInput, max_bytes: int, *, required: bool) -> Scan | None:
    if data.scan is None:
        if required:
            raise FieldInvalid(
                "scan",
                "請上傳證照影本（JPEG、PNG 或 PDF）",
                "Please upload the scan (JPEG, PNG or PDF)",
                code="required",
            )
        return None
    return await checked_scan(data.scan, max_bytes=max_bytes)


async def _catalog_choice(
    uow: CertificatesUnitOfWork, entry_text: str | None, level_text: str | None
) -> tuple[dict, Any]:
    entry_id = parse_id(entry_text, "entry_id", "這張證照（目錄）", "Catalog entry")
    entry = await uow.catalog.entry(entry_id)
    if entry is None:
        raise FieldInvalid("entry_id", "找不到這張證照（目錄）", "Catalog entry not found", code="unknown_entry")
    if not entry["active"]:
        raise FieldInvalid(
            "entry_id", "這張證照已停用，無法登錄", "This catalog entry is no longer active", code="inactive_entry"
        )
    level = None
    if level_text:
        level_id = parse_id(level_text, "level_id", "這個等級", "Level")
        level = _entry_level(entry, level_id) or await uow.catalog.level_rule(level_id)
        if level is None:
            raise FieldInvalid("level_id", "找不到這個等級", "Level not found", code="unknown_level")
    rules.check_level(level, entry_id=str(entry["id"]), entry_has_levels=bool(entry["levels"]))
    return entry, level


def _entry_level(entry: dict, level_id: uuid.UUID) -> rules.LevelRule | None:
    """The level among the entry's own (read with it), without another statement."""
    for level in entry["levels"]:
        if level["id"] == level_id:
            return rules.LevelRule(
                id=str(level["id"]),
                entry_id=str(level["entry_id"]),
                name=level["name"],
                min_score=level["min_score"],
                max_score=level["max_score"],
            )
    return None


async def _issue_confirmation(
    uow: CertificatesUnitOfWork, settings, certificate_id: uuid.UUID, *, revoke: bool = True
) -> tuple[str, datetime]:
    if revoke:
        await uow.certificates.revoke_tokens(certificate_id)
    issued = issue_token(now=datetime.now(UTC), ttl=timedelta(days=settings.confirmation_ttl_days))
    await uow.certificates.add_token(certificate_id, issued.token_hash, issued.expires_at)
    return confirmation_url(settings.public_base_url, issued.token), issued.expires_at


async def register(
    uow: CertificatesUnitOfWork,
    settings: CertificatesSettings,
    storage: ObjectStorage,
    user: Principal,
    data: CertificateInput,
    *,
    claim=None,
) -> Certificate:
    """``claim(uow, certificate_id)``, when given, runs first in the transaction and returns extra columns
    (a roster's pre-registration being completed: service_layer/rosters.py)."""
    ensure_student(user)
    checked = _checked_fields(data, partial=False)
    scan = await _checked_scan(data, settings.max_scan_bytes, required=True)
    entry, level = await _catalog_choice(uow, data.values.get("entry_id"), data.values.get("level_id"))
    rules.check_score(checked["score"], level)
    confirm = needs_confirmation(
        entry["category"], user.dept, await uow.certificates.track_rules(), settings.confirmation_categories
    )
    status = machine.initial_status(needs_confirmation=confirm)
    certificate_id = uuid.uuid4()
    extra = await claim(uow, certificate_id) if claim else {}
    assert scan is not None  # required=True
    stored = await scans.store(storage, certificate_id, scan)
    uow.on_rollback(lambda: scans.discard(storage, stored.scan_key, stored.thumbnail_key))
    cert = await uow.certificates.add(
        {
            "id": certificate_id,
            "student_id": user.sub,
            "student_name": user.name,
            "student_email": user.email,
            "dept": user.dept,
            "division": user.division,
            "program": user.program,
            "klass": user.klass,
            "entry_id": entry["id"],
            "level_id": uuid.UUID(level.id) if level else None,
            **checked,
            "status": status,
            "needs_confirmation": confirm,
            **stored.columns(),
            "submitted_at": None if confirm else datetime.now(UTC),
            **extra,
        }
    )
    url = expires = None
    if confirm:  # a new certificate has no token to revoke
        url, expires = await _issue_confirmation(uow, settings, certificate_id, revoke=False)
    await uow.emit(
        CertificateRegistered(certificate=snapshot(cert), confirmation_url=url, confirmation_expires_at=expires),
        subject=str(certificate_id),
    )
    await uow.audit(
        "certificate.registered",
        actor_id=user.sub,
        subject=str(certificate_id),
        to_state=status,
        details={"entry_id": str(entry["id"])},
    )
    return cert


async def edit(
    uow: CertificatesUnitOfWork,
    settings: CertificatesSettings,
    storage: ObjectStorage,
    user: Principal,
    certificate_id: uuid.UUID,
    data: CertificateInput,
) -> Certificate:
    """Owner edits until approved. After a rejection an edit is a resubmission; an edit of what was
    verified (entry, level, score, number, date, scan) starts the certificate's track again."""
    checked = _checked_fields(data, partial=True)
    scan = await _checked_scan(data, settings.max_scan_bytes, required=False)
    cert = ensure_owner(user, await uow.certificates.get(certificate_id, for_update=True))
    machine.ensure_editable(cert.status)
    changes, entry = await _edited_values(uow, cert, data, checked)
    confirm = needs_confirmation(
        entry["category"], cert.dept, await uow.certificates.track_rules(), settings.confirmation_categories
    )
    verified = cert.verified_changes(changes, new_scan=scan is not None)
    target = machine.status_after_edit(cert.status, needs_confirmation=confirm, restarted=bool(verified))
    restarted = bool(verified) or target != cert.status
    if restarted:
        changes.update(_restart(cert, target, confirm))
    if scan is not None:
        stored = await scans.store(storage, certificate_id, scan)
        uow.on_rollback(lambda: scans.discard(storage, stored.scan_key, stored.thumbnail_key))
        uow.after_commit(lambda: scans.discard(storage, cert.scan_key, cert.thumbnail_key))
        changes.update(stored.columns())
    return await _save_edit(uow, settings, user, cert, changes, target, restarted=restarted, verified=verified)


async def _edited_values(
    uow: CertificatesUnitOfWork, cert: Certificate, data: CertificateInput, checked: dict
) -> tuple[dict, dict]:
    """The edited columns (catalog choice checked) and the catalog entry the certificate will have."""
    changes = dict(checked)
    if "entry_id" in data.values or "level_id" in data.values:
        entry, level = await _catalog_choice(
            uow, data.values.get("entry_id", str(cert.entry_id)), data.values.get("level_id")
        )
        changes.update(entry_id=entry["id"], level_id=uuid.UUID(level.id) if level else None)
    else:
        current = await uow.catalog.entry(cert.entry_id)
        assert current is not None  # a certificate's entry is never deleted (entries are deactivated)
        entry = current
        level_id = cert.level_id
        level = (_entry_level(entry, level_id) or await uow.catalog.level_rule(level_id)) if level_id else None
    rules.check_score(changes.get("score", cert.score), level)
    return changes, entry


def _restart(cert: Certificate, target: str, confirm: bool) -> dict:
    """Back to the start of the track: no reviewer, submitted only when no confirmation is needed, and a
    new content version — decisions taken on an older one are refused (review) or skipped (here)."""
    return dict(
        status=target,
        needs_confirmation=confirm,
        reviewer_id=None,
        reviewer_name=None,
        reviewed_at=None,
        review_reason=None,
        content_version=cert.version + 1,
        submitted_at=datetime.now(UTC) if target == machine.Status.SUBMITTED else None,
    )


async def _save_edit(
    uow: CertificatesUnitOfWork,
    settings,
    user: Principal,
    cert: Certificate,
    changes: dict,
    target: str,
    *,
    restarted: bool,
    verified: list[str],
) -> Certificate:
    certificate_id = cert.id
    resubmitted = target != cert.status
    await uow.certificates.update(certificate_id, changes)
    updated = await uow.certificates.get_present(certificate_id)
    await uow.emit(
        CertificateUpdated(certificate=snapshot(updated), resubmitted=resubmitted, restarted=restarted),
        subject=str(certificate_id),
    )
    if target == machine.Status.DRAFT and resubmitted:
        url, expires = await _issue_confirmation(uow, settings, certificate_id)
        await uow.emit(
            CertificateConfirmationResent(
                certificate=snapshot(updated), confirmation_url=url, confirmation_expires_at=expires
            ),
            subject=str(certificate_id),
        )
    fields = sorted(k for k in changes if not k.startswith("scan_") and k != "content_version")
    await uow.audit(
        "certificate.resubmitted" if resubmitted else "certificate.updated",
        actor_id=user.sub,
        subject=str(certificate_id),
        from_state=cert.status,
        to_state=target,
        details={
            "fields": fields + (["scan"] if "scan_key" in changes else []),
            "restarted": restarted,
            "verified_changes": verified,
        },
    )
    return updated


async def delete(
    uow: CertificatesUnitOfWork, storage: ObjectStorage, user: Principal, certificate_id: uuid.UUID
) -> None:
    cert = ensure_owner(user, await uow.certificates.get(certificate_id, for_update=True))
    machine.ensure_editable(cert.status, action="delete")
    await uow.certificates.delete(certificate_id)
    await uow.emit(
        CertificateDeleted(certificate_id=certificate_id, student_id=cert.student_id), subject=str(certificate_id)
    )
    await uow.audit(
        "certificate.deleted",
        actor_id=user.sub,
        subject=str(certificate_id),
        from_state=cert.status,
        details={"entry_id": str(cert.entry_id)},
    )
    uow.after_commit(lambda: scans.discard(storage, cert.scan_key, cert.thumbnail_key))


async def resend_confirmation(
    uow: CertificatesUnitOfWork, settings: CertificatesSettings, user: Principal, certificate_id: uuid.UUID
) -> dict:
    """Throttled per certificate and per student (429 with Retry-After): a resend is not a way to mail
    anyone again and again."""
    cert = ensure_owner(user, await uow.certificates.get(certificate_id, for_update=True))
    if cert.status != machine.Status.DRAFT:
        raise Conflict(
            "這張證照已確認，不需要再寄確認信",
            "This certificate is already confirmed; no mail is needed",
            code="not_draft",
        )
    await _ensure_resend_allowed(uow, settings, cert)
    url, expires = await _issue_confirmation(uow, settings, certificate_id)
    await uow.certificates.record_resend(cert.student_id, certificate_id)
    await uow.emit(
        CertificateConfirmationResent(
            certificate=snapshot(cert), confirmation_url=url, confirmation_expires_at=expires
        ),
        subject=str(certificate_id),
    )
    await uow.audit("certificate.confirmation_resent", actor_id=user.sub, subject=str(certificate_id))
    return {"sent": True, "expires_at": expires.isoformat()}


async def _ensure_resend_allowed(uow: CertificatesUnitOfWork, settings, cert: Certificate) -> None:
    await uow.certificates.lock_student_resends(cert.student_id)
    now, last, recent = await uow.certificates.mail_times(cert.id, cert.student_id)
    limits = ResendLimits(settings.confirmation_resend_interval_s, settings.confirmation_resends_per_hour)
    wait = resend_wait(now, last, recent, limits)
    if wait is None:
        return
    if wait.per_student:
        minutes = math.ceil(wait.seconds / 60)
        raise TooManyRequests(
            f"您這一小時內已重寄 {limits.per_hour} 次確認信，請於 {minutes} 分鐘後再試",
            f"You have resent {limits.per_hour} confirmation mails within an hour; please try again "
            f"in {minutes} minute(s)",
            retry_after=wait.seconds,
            code="resend_throttled",
        )
    raise TooManyRequests(
        f"確認信剛寄出，請先查看信箱；如需再寄，請於 {wait.seconds} 秒後再試",
        f"The confirmation mail was just sent; check your mailbox, or resend in {wait.seconds} seconds",
        retry_after=wait.seconds,
        code="resend_throttled",
    )
