"""Opening the confirmation link: GET only looks, POST consumes the token and confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from certhub_kit.events.certificates import CertificateConfirmed

from ..domain import status as machine
from ..domain.certificate import Certificate
from ..domain.confirmation import hash_token, looks_like_token
from .unit_of_work import CertificatesUnitOfWork
from .views import snapshot


class LinkState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REPLACED = "replaced"  # a newer link was sent
    NOT_DRAFT = "not_draft"  # the certificate is no longer waiting for confirmation
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class LinkOutcome:
    state: LinkState
    certificate: Certificate | None = None


def _state_of(token: dict | None, now: datetime) -> LinkState:
    if token is None:
        return LinkState.UNKNOWN
    if token["used_at"] is not None:
        return LinkState.USED
    if token["revoked_at"] is not None:
        return LinkState.REPLACED
    if token["expires_at"] <= now:
        return LinkState.EXPIRED
    return LinkState.VALID


async def inspect(uow: CertificatesUnitOfWork, token: str) -> LinkOutcome:
    """What the page shows on GET; changes nothing (mail scanners prefetch links)."""
    if not looks_like_token(token):
        return LinkOutcome(LinkState.UNKNOWN)
    row = await uow.certificates.token(hash_token(token))
    state = _state_of(row, datetime.now(UTC))
    cert = await uow.certificates.get(row["certificate_id"]) if row else None
    if state is LinkState.VALID and cert is not None and cert.status != machine.Status.DRAFT:
        state = LinkState.NOT_DRAFT
    return LinkOutcome(state, cert)


async def confirm(uow: CertificatesUnitOfWork, token: str) -> LinkOutcome:
    """Consumes the token atomically (one winner) and moves the certificate draft → submitted."""
    if not looks_like_token(token):
        return LinkOutcome(LinkState.UNKNOWN)
    token_hash = hash_token(token)
    certificate_id = await uow.certificates.consume_token(token_hash)
    if certificate_id is None:
        row = await uow.certificates.token(token_hash)
        return LinkOutcome(_state_of(row, datetime.now(UTC)))
    cert = await uow.certificates.get_present(certificate_id, for_update=True)  # the token refers to it
    if cert.status != machine.Status.DRAFT:
        await uow.rollback()  # the token stays unused; nothing changes
        return LinkOutcome(LinkState.NOT_DRAFT, cert)
    await uow.certificates.update(
        certificate_id, {"status": machine.Status.SUBMITTED, "submitted_at": datetime.now(UTC)}
    )
    confirmed = await uow.certificates.get_present(certificate_id)
    await uow.emit(CertificateConfirmed(certificate=snapshot(confirmed)), subject=str(certificate_id))
    await uow.audit(
        "certificate.confirmed",
        actor_id=cert.student_id,
        subject=str(certificate_id),
        from_state=machine.Status.DRAFT,
        to_state=machine.Status.SUBMITTED,
        details={"via": "email_link"},
    )
    return LinkOutcome(LinkState.CONFIRMED, confirmed)
