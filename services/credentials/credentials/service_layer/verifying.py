"""Verification for anyone: a stored credential by its id, or an uploaded one (JSON or VC-JWT).

Every verification adds one to the credential's count; nothing about the verifier is kept.
A credential is only checked against this school's own keys and status lists — no URL from an
uploaded document is ever fetched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from certhub_kit.errors import Invalid, TooLarge, not_found

from ..adapters import vcjwt
from ..domain.credential import status_list_credential
from ..domain.proof import add_proof
from ..domain.statuslist import encode
from ..domain.verification import Report, verify
from .issuer import IssuerContext
from .unit_of_work import CredentialsUnitOfWork
from .views import report_view

STATE_OF_LIST = "revocation"


async def status_list(uow: CredentialsUnitOfWork, context: IssuerContext, number: int) -> dict | None:
    """The signed BitstringStatusListCredential of list ``number`` as of now (None: no such list)."""
    if not await uow.credentials.list_exists(number):
        return None
    settings = context.settings
    encoded = encode(settings.status_list_size, set(await uow.credentials.revoked_indexes(number)))
    now = datetime.now(UTC).replace(microsecond=0)
    unsigned = status_list_credential(
        context.list_url(number), context.issuer, encoded, valid_from=now, ttl_ms=settings.status_list_ttl_s * 1000
    )
    return add_proof(unsigned, context.keys.signer.private, context.signer_method, now)


async def _check(
    uow: CredentialsUnitOfWork, context: IssuerContext, credential: dict, jws_method: str | None = None
) -> Report:
    lists: dict[str, dict | None] = {}
    entry = credential.get("credentialStatus")
    url = entry.get("statusListCredential") if isinstance(entry, dict) else None
    number = context.list_number(url) if isinstance(url, str) else None
    if number is not None and isinstance(url, str):
        listed = await status_list(uow, context, number)
        lists[url] = listed
    return verify(
        credential, did=context.did, key_for=context.key_for, status_list=lambda u: lists.get(u), jws_method=jws_method
    )


async def verify_stored(uow: CredentialsUnitOfWork, context: IssuerContext, public_id: str) -> dict:
    row = await uow.credentials.get(public_id, for_update=True)
    if row is None:
        raise not_found("此數位證明", "Credential")
    report = await _check(uow, context, row["document"])
    await uow.credentials.count_verification(public_id)
    return report_view(report, row["document"], row, verifications=row["verifications"] + 1)


def _parse_upload(body: bytes, context: IssuerContext) -> tuple[dict, str | None]:
    """(credential, the verification method of its JWS — None for JSON with an embedded proof)."""
    text = body.decode("utf-8", errors="strict").strip()
    if text.startswith("{"):
        try:
            credential = json.loads(text)
        except ValueError as exc:
            raise Invalid(
                "上傳的內容不是有效的 JSON", "The upload is not valid JSON", code="credential_unreadable"
            ) from exc
        if not isinstance(credential, dict):
            raise Invalid("上傳的內容不是數位證明", "The upload is not a credential", code="credential_unreadable")
        return credential, None
    if text.count(".") == 2:
        try:
            credential, kid = vcjwt.decode(text, context.key_for)
        except vcjwt.JwtProblem:  # shown as a failed signature check, with what its payload claims if readable
            return {**vcjwt.peek(text), "proof": None}, None
        return credential, kid
    raise Invalid(
        "請上傳數位證明的 JSON 或 JWT", "Upload the credential as JSON or as a JWT", code="credential_unreadable"
    )


async def verify_uploaded(uow: CredentialsUnitOfWork, context: IssuerContext, body: bytes) -> dict:
    if len(body) > context.settings.verify_upload_max_bytes:
        raise TooLarge("上傳的數位證明太大", "The uploaded credential is too large")
    try:
        credential, jws_method = _parse_upload(body, context)
    except UnicodeDecodeError as exc:
        raise Invalid(
            "上傳的內容不是 UTF-8 文字", "The upload is not UTF-8 text", code="credential_unreadable"
        ) from exc
    report = await _check(uow, context, credential, jws_method)
    public_id = context.public_id_of(credential.get("id"))
    row = await uow.credentials.get(public_id, for_update=True) if public_id else None
    if row is not None and public_id and report.signature.ok:
        await uow.credentials.count_verification(public_id)
    view = report_view(
        report,
        credential,
        row if report.signature.ok else None,
        verifications=(row["verifications"] + 1) if row is not None and report.signature.ok else None,
    )
    view["form"] = "jwt" if jws_method else "json"
    return view
