"""How credentials look to the student, the centre and the public verifier."""

from __future__ import annotations

from ..domain.credential import TAIPEI
from ..domain.verification import Report

STATES = {"active": ("有效", "Valid"), "suspended": ("暫停", "Suspended"), "revoked": ("已撤銷", "Revoked")}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def masked(name: str | None) -> str | None:
    """The holder's name as the public page shows it: 王小明 → 王○明, 李華 → 李○."""
    if not name:
        return None
    if len(name) <= 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def credential_item(row: dict, context) -> dict:
    public_id = row["id"]
    zh, en = STATES[row["state"]]
    return {
        "id": public_id,
        "certificate_id": str(row["certificate_id"]),
        "state": row["state"],
        "state_label": zh,
        "state_label_en": en,
        "issued_at": _iso(row["issued_at"]),
        "revoked_at": _iso(row["revoked_at"]),
        "revoked_reason": row["revoked_reason"],
        "verifications": row["verifications"],
        "verify_url": context.verify_url(public_id),
        "credential_url": f"/api/credentials/{public_id}/credential",
        "qr_url": f"/api/credentials/{public_id}/qr.png",
        "download_url": f"/api/credentials/{public_id}/download.zip",
        **row["display"],
    }


def _holder(credential: dict) -> str | None:
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    for identity in (subject or {}).get("identifier") or []:
        if isinstance(identity, dict) and identity.get("identityType") == "name" and not identity.get("hashed"):
            return str(identity.get("identityHash"))
    return None


def _object(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _claims(credential: dict) -> dict:
    subject = _object(credential.get("credentialSubject"))
    achievement = _object(subject.get("achievement"))
    issuer = _object(credential.get("issuer"))
    evidence = next((e for e in credential.get("evidence") or [] if isinstance(e, dict)), {})
    return {
        "school": issuer.get("name"),
        "school_en": issuer.get("nameEn"),
        "issuer_id": issuer.get("id"),
        "certificate": achievement.get("name"),
        "certificate_en": achievement.get("nameEn"),
        "awarded_on": str(credential.get("awardedDate") or "")[:10] or None,
        "valid_from": credential.get("validFrom"),
        "verified_by": evidence.get("narrative"),
        "verified_by_en": evidence.get("narrativeEn"),
        "holder": masked(_holder(credential)),
    }


def report_view(report: Report, credential: dict, row: dict | None, *, verifications: int | None) -> dict:
    """The verification answer: the claims (only when the signature holds), the state, each check."""
    state = "revoked" if report.revoked else (row["state"] if row is not None else ("active" if report.valid else None))
    if row is not None and row["state"] == "revoked":
        state = "revoked"
    zh, en = STATES.get(state or "", ("無法驗證", "Not verified"))
    view = {
        "credential_id": row["id"] if row is not None else None,
        "id": report.credential_id,
        "valid": report.valid and state == "active",
        "state": state,
        "state_label": zh,
        "state_label_en": en,
        "revoked_at": _iso(row["revoked_at"]) if row is not None else None,
        "revoked_on": row["revoked_at"].astimezone(TAIPEI).date().isoformat()
        if row is not None and row["revoked_at"]
        else None,  # the day in Taiwan, as the page shows it
        "revoked_reason": row["revoked_reason"] if row is not None else None,
        "checks": {
            name: {"ok": check.ok, "message": check.message}
            for name, check in (("signature", report.signature), ("issuer", report.issuer), ("status", report.status))
        },
        "verifications": verifications,
    }
    view.update(_claims(credential) if report.signature.ok else {})
    if row is not None:
        view.update({k: row["display"].get(k) for k in ("entry_name", "entry_name_en", "level_name", "level_name_en")})
    return view
