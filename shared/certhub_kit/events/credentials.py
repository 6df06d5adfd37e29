"""Events of the credentials service (signed Open Badges records of approved certificates)."""

from __future__ import annotations

import uuid
from datetime import datetime

from .envelope import EventData


class CredentialIssued(EventData):
    """A signed record was issued for an approved certificate (its public id and verify link)."""

    type_name = "credential.issued.v1"
    credential_id: str
    certificate_id: uuid.UUID
    student_id: str
    verify_url: str
    issued_at: datetime


class CredentialRevoked(EventData):
    """A record was revoked: by the centre with a reason, or because its certificate stopped passing."""

    type_name = "credential.revoked.v1"
    credential_id: str
    certificate_id: uuid.UUID
    student_id: str
    reason: str
    revoked_by: str | None = None
    revoked_at: datetime
