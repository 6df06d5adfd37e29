"""What the credentials service answers as JSON: the response models of its endpoints.

Built from ``service_layer.views`` (``credential_item``, ``report_view``) and ``domain.did``; a response model
keeps only its fields, so each one lists them all. The signed documents themselves (a credential, a status
list) are served as they were signed, never through a model.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from certhub_kit.response_models import ResponseModel


class Credential(ResponseModel):
    id: str
    certificate_id: str
    state: str
    state_label: str
    state_label_en: str
    issued_at: str | None
    revoked_at: str | None
    revoked_reason: str | None
    verifications: int
    verify_url: str
    credential_url: str
    qr_url: str
    download_url: str
    entry_name: str | None = None
    entry_name_en: str | None = None
    level_name: str | None = None
    level_name_en: str | None = None
    issued_on: str | None = None


class Check(ResponseModel):
    ok: bool
    message: str | None


class Checks(ResponseModel):
    signature: Check
    issuer: Check
    status: Check


class Verification(ResponseModel):
    """The claims (``school`` … ``holder``) are present only when the signature holds, the names
    (``entry_name`` …) only for a credential of this school, ``form`` only for an upload."""

    credential_id: str | None
    id: str | None
    valid: bool
    state: str | None
    state_label: str
    state_label_en: str
    revoked_at: str | None
    revoked_on: str | None
    revoked_reason: str | None
    checks: Checks
    verifications: int | None
    school: str | None = None
    school_en: str | None = None
    issuer_id: str | None = None
    certificate: str | None = None
    certificate_en: str | None = None
    awarded_on: str | None = None
    valid_from: str | None = None
    verified_by: str | None = None
    verified_by_en: str | None = None
    holder: str | None = None
    entry_name: str | None = None
    entry_name_en: str | None = None
    level_name: str | None = None
    level_name_en: str | None = None
    form: str | None = Field(None, description="json or jwt: how the upload was read")


class VerificationMethod(ResponseModel):
    id: str
    type: str
    controller: str
    publicKeyMultibase: str


class DidDocument(ResponseModel):
    model_config = ConfigDict(populate_by_name=True)
    context: list[str] = Field(alias="@context")
    id: str
    verificationMethod: list[VerificationMethod]
    assertionMethod: list[str]
