"""Issuing, suspending and revoking records as certificates change (handlers of the status events)
and by the centre. Handlers run inside the inbox's transaction and never commit.

A certificate that passes (approved, recorded, credit_pending) gets one signed credential; one that
goes to 再審中 has its credential suspended; any other status, or deletion, revokes it. Snapshots
older than one already seen are ignored, so late or repeated events change nothing.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import structlog

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import CertificateDeleted, CertificateSnapshot, CertificateStatusChanged
from certhub_kit.events.credentials import CredentialIssued, CredentialRevoked

from ..domain.credential import Award, build_credential, status_entry
from ..domain.proof import add_proof
from .dependencies import CredentialsDeps
from .issuer import IssuerContext
from .unit_of_work import CredentialsUnitOfWork

log = structlog.get_logger("credentials.issuing")
PASSED = frozenset({"approved", "recorded", "credit_pending"})
SUSPENDING = frozenset({"rereview"})
STATUS_LABELS = {
    "draft": ("已建檔", "registered"),
    "submitted": ("申請中", "submitted"),
    "verifying": ("查證中", "verifying"),
    "rereview": ("再審中", "re-review"),
    "rejected": ("不通過", "rejected"),
}


def _now() -> datetime:
    return datetime.now(UTC)


async def on_status_changed(
    payload: CertificateStatusChanged, envelope: Envelope, uow: CredentialsUnitOfWork, deps: CredentialsDeps
) -> None:
    cert = payload.certificate
    facts = await uow.facts.get(cert.certificate_id)
    if facts is not None and facts["version"] >= cert.version:
        return log.info("stale_snapshot", certificate_id=str(cert.certificate_id), version=cert.version)
    if payload.to_status == "verifying":
        await uow.facts.original_checked(cert.certificate_id, envelope.time)
    await uow.facts.seen(cert.certificate_id, cert.version)
    current = await uow.credentials.in_force(cert.certificate_id)
    if cert.status in PASSED:
        if current is None:
            await issue(uow, deps.issuer, cert, envelope.time)
        elif current["state"] == "suspended":
            await set_state(uow, current, "active", actor_id=payload.actor_id)
    elif current is not None and cert.status in SUSPENDING:
        if current["state"] == "active":
            await set_state(uow, current, "suspended", actor_id=payload.actor_id)
    elif current is not None:
        zh, en = STATUS_LABELS.get(cert.status, (cert.status, cert.status))
        await revoke(uow, current, f"證照狀態改為「{zh}」/ the certificate is now {en}", actor_id=payload.actor_id)


async def on_deleted(payload: CertificateDeleted, envelope: Envelope, uow: CredentialsUnitOfWork) -> None:
    current = await uow.credentials.in_force(payload.certificate_id)
    if current is not None:
        await revoke(uow, current, "證照已刪除 / the certificate was deleted", actor_id=None)


async def issue(
    uow: CredentialsUnitOfWork, context: IssuerContext, cert: CertificateSnapshot, decided_at: datetime
) -> dict:
    facts = await uow.facts.get(cert.certificate_id)
    checked_at = facts["original_checked_at"] if facts else None
    number, index = await _slot(uow, context)
    now = _now()
    award = Award(
        public_id=secrets.token_urlsafe(16),
        certificate_id=cert.certificate_id,
        entry_id=cert.entry_id,
        level_id=cert.level_id,
        student_id=cert.student.id,
        student_name=cert.student.name,
        entry_name=cert.entry_name,
        entry_name_en=cert.entry_name_en,
        entry_issuer=cert.entry_issuer,
        level_name=cert.level_name,
        level_name_en=cert.level_name_en,
        national_code=cert.national_code,
        issued_on=cert.issued_on,
        verified_at=decided_at,
        verified_by=context.centre() if checked_at else context.department(cert.student.dept),
        original_checked=checked_at is not None,
        salt=secrets.token_hex(8),
        valid_from=now,
    )
    unsigned = build_credential(award, context.issuer, status_entry=status_entry(context.list_url(number), index))
    document = add_proof(unsigned, context.keys.signer.private, context.signer_method, now)
    row = {
        "id": award.public_id,
        "certificate_id": cert.certificate_id,
        "student_id": cert.student.id,
        "state": "active",
        "document": document,
        "status_list": number,
        "status_index": index,
        "issued_at": now,
        "display": {
            "entry_name": cert.entry_name,
            "entry_name_en": cert.entry_name_en,
            "level_name": cert.level_name,
            "level_name_en": cert.level_name_en,
            "issued_on": cert.issued_on.isoformat(),
        },
    }
    await uow.credentials.add(row)
    await uow.audit(
        "credential.issued",
        actor_id=None,
        subject=award.public_id,
        to_state="active",
        details={"certificate_id": str(cert.certificate_id)},
    )
    await uow.emit(
        CredentialIssued(
            credential_id=award.public_id,
            certificate_id=cert.certificate_id,
            student_id=cert.student.id,
            verify_url=context.verify_url(award.public_id),
            issued_at=now,
        ),
        subject=award.public_id,
    )
    return row


async def _slot(uow: CredentialsUnitOfWork, context: IssuerContext) -> tuple[int, int]:
    """A random free index in the newest list; a list is left for a new one once half full, so
    a random pick rarely meets a taken slot and indexes stay unpredictable."""
    size = context.settings.status_list_size
    await uow.credentials.lock_lists()
    number, used = await uow.credentials.newest_list()
    if used >= size // 2:
        number += 1
    while True:
        index = secrets.randbelow(size)
        if not await uow.credentials.slot_taken(number, index):
            return number, index


async def set_state(uow: CredentialsUnitOfWork, row: dict, state: str, *, actor_id: str | None) -> None:
    await uow.credentials.set_state(row["id"], {"state": state})
    await uow.audit(
        "credential.state_changed", actor_id=actor_id, subject=row["id"], from_state=row["state"], to_state=state
    )


async def revoke(uow: CredentialsUnitOfWork, row: dict, reason: str, *, actor_id: str | None) -> None:
    now = _now()
    await uow.credentials.set_state(
        row["id"], {"state": "revoked", "revoked_at": now, "revoked_reason": reason, "revoked_by": actor_id}
    )
    await uow.audit(
        "credential.revoked",
        actor_id=actor_id,
        subject=row["id"],
        from_state=row["state"],
        to_state="revoked",
        reason=reason,
    )
    await uow.emit(
        CredentialRevoked(
            credential_id=row["id"],
            certificate_id=row["certificate_id"],
            student_id=row["student_id"],
            reason=reason,
            revoked_by=actor_id,
            revoked_at=now,
        ),
        subject=row["id"],
    )
