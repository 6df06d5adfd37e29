"""What the student (and the centre) do with credentials: list, download, revoke."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from certhub_kit.auth import Principal
from certhub_kit.errors import Conflict, Forbidden, Invalid, concealed

from ..adapters import vcjwt
from ..adapters.qr import qr_png
from .issuer import IssuerContext
from .issuing import revoke
from .unit_of_work import CredentialsUnitOfWork
from .views import credential_item

REASON_MAX = 500


async def list_credentials(
    uow: CredentialsUnitOfWork, context: IssuerContext, who: Principal, certificate_id: uuid.UUID | None
) -> list[dict]:
    if who.is_student:
        rows = await uow.credentials.of_student(who.sub, certificate_id)
    elif who.is_center:
        if certificate_id is None:
            raise Invalid("請指定證照（certificate_id）", "Give a certificate_id", code="certificate_id_required")
        rows = await uow.credentials.of_certificate(certificate_id)
    else:
        raise Forbidden("您沒有權限查看數位證明", "You may not list credentials", code="forbidden_role")
    return [credential_item(row, context) for row in rows]


async def held(uow: CredentialsUnitOfWork, who: Principal, public_id: str) -> dict:
    """The credential row, for its owner or the centre; anyone else is answered as if it did not exist."""
    row = await uow.credentials.get(public_id)
    if row is None or not (who.is_center or (who.is_student and row["student_id"] == who.sub)):
        raise concealed("此數位證明", "Credential")
    return row


async def held_for_certificate(uow: CredentialsUnitOfWork, who: Principal, certificate_id: uuid.UUID) -> dict:
    """The record in force for a certificate (else its newest), for its owner or the centre."""
    rows = await uow.credentials.of_certificate(certificate_id)
    row = next((r for r in rows if r["state"] != "revoked"), rows[0] if rows else None)
    if row is None or not (who.is_center or (who.is_student and row["student_id"] == who.sub)):
        raise concealed("此證照的數位證明", "Credential of this certificate")
    return row


def as_jwt(row: dict, context: IssuerContext) -> str:
    return vcjwt.encode(row["document"], context.keys.signer.private, context.signer_method)


def bundle(row: dict, context: IssuerContext) -> bytes:
    """A zip with the credential (JSON with its proof, and the VC-JWT) and the QR code of its verify page."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("credential.json", json.dumps(row["document"], ensure_ascii=False, indent=2))
        archive.writestr("credential.jwt", as_jwt(row, context))
        archive.writestr("verify-qr.png", qr_png(context.verify_url(row["id"])))
        archive.writestr("README.txt", f"驗證網址 / Verify at: {context.verify_url(row['id'])}\n")
    return out.getvalue()


async def revoke_by_centre(
    uow: CredentialsUnitOfWork, context: IssuerContext, who: Principal, public_id: str, reason: str
) -> dict:
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise Invalid(
            f"請填寫撤銷原因（最多 {REASON_MAX} 字）",
            f"Give a reason (at most {REASON_MAX} characters)",
            code="reason_required",
        )
    row = await uow.credentials.get(public_id, for_update=True)
    if row is None:
        raise concealed("此數位證明", "Credential")
    if row["state"] == "revoked":
        raise Conflict("此數位證明已撤銷", "This credential is already revoked", code="already_revoked")
    await revoke(uow, row, reason, actor_id=who.sub)
    revoked = await uow.credentials.get(public_id)
    assert revoked is not None  # locked above, in this transaction
    return credential_item(revoked, context)
