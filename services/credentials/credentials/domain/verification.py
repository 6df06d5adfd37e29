"""How a credential is checked — the same steps for a stored one (``/verify/{id}``) and an uploaded
one (``POST /api/verify``): the signature, the issuer's key, the status list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .proof import KeyLookup, ProofProblem, verify_proof
from .statuslist import StatusListProblem, bit, decode

# list URL → the status list credential (already signature-checked by the caller), or None
StatusListLookup = Callable[[str], dict | None]


@dataclass
class Check:
    ok: bool
    message: str = ""


@dataclass
class Report:
    signature: Check
    issuer: Check
    status: Check
    revoked: bool = False
    credential_id: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.signature.ok and self.issuer.ok and self.status.ok and not self.revoked


def _issuer_id(credential: dict) -> str | None:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer if isinstance(issuer, str) else None


def check_issuer(credential: dict, did: str, method: str | None) -> Check:
    if _issuer_id(credential) != did:
        return Check(False, "the issuer is not this school")
    if method is None or not method.startswith(did + "#"):
        return Check(False, "the signing key is not in this school's DID document")
    return Check(True, "the signing key is in this school's DID document")


def check_status(credential: dict, status_list: StatusListLookup) -> tuple[Check, bool]:
    """(check, revoked): the check fails when the list cannot be read; revoked when its bit is set."""
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return Check(False, "no BitstringStatusListEntry"), False
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return Check(False, "the status list index is not a number"), False
    listed = status_list(str(entry.get("statusListCredential")))
    if listed is None:
        return Check(False, "the status list is not this school's"), False
    subject = listed.get("credentialSubject") or {}
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        return Check(False, "the status list has another purpose"), False
    try:
        revoked = bit(decode(subject.get("encodedList", "")), index)
    except StatusListProblem as exc:
        return Check(False, str(exc)), False
    return Check(True, "revoked" if revoked else "not revoked"), revoked


def verify(
    credential: dict,
    *,
    did: str,
    key_for: KeyLookup,
    status_list: StatusListLookup,
    now: datetime | None = None,
    jws_method: str | None = None,
) -> Report:
    """``jws_method``: the credential came as a VC-JWT whose JWS this key already verified (it then
    carries no embedded proof); otherwise its embedded Data Integrity proof is checked."""
    now = now or datetime.now(UTC)
    method: str | None = jws_method
    if jws_method is not None:
        signature = Check(True, "the JWS signature matches")
    else:
        try:
            method, signature = verify_proof(credential, key_for), Check(True, "the signature matches")
        except ProofProblem as exc:
            signature = Check(False, str(exc))
            proof = credential.get("proof") if isinstance(credential, dict) else None
            method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    issuer = check_issuer(credential, did, method if isinstance(method, str) else None)
    status, revoked = check_status(credential, status_list) if signature.ok else (Check(False, "not checked"), False)
    report = Report(signature, issuer, status, revoked, credential_id=str(credential.get("id") or "") or None)
    valid_from = _parse_time(credential.get("validFrom"))
    if signature.ok and (valid_from is None or valid_from > now):
        report.signature = Check(False, "validFrom is missing or in the future")
    return report


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None
