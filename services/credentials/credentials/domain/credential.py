"""The ``OpenBadgeCredential`` (Open Badges 3.0 on the W3C VC 2.0 data model) of one approved
certificate: what the school asserts, in zh-TW with English alongside, and nothing more.

Names and texts are zh-TW strings; their English forms are ``nameEn``, ``descriptionEn`` and
``narrativeEn``, defined by an inline context as ``schema:name`` etc. tagged ``@language: en``
(so no context is fetched and the OB 3.0 schema's plain-string ``name`` stays valid). The student
number never appears in clear: only a salted SHA-256 (``IdentityObject``). Evidence names the
office that checked the certificate and when — never the scan.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ENGLISH_TERMS = {
    "nameEn": {"@id": "https://schema.org/name", "@language": "en"},
    "descriptionEn": {"@id": "https://schema.org/description", "@language": "en"},
    "narrativeEn": {"@id": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative", "@language": "en"},
}
CONTEXT = [VC_CONTEXT, OB_CONTEXT, ENGLISH_TERMS]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
TAIPEI = timezone(timedelta(hours=8))
IDENTITY_TYPE = "ext:studentId"  # OB 3.0's IdentifierTypeEnum has no student number; ext: extends it


@dataclass(frozen=True)
class Office:
    name: str
    name_en: str


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    name_en: str
    url: str


@dataclass(frozen=True)
class Award:
    """What the school verified about one certificate (from the certificates and review events)."""

    public_id: str
    certificate_id: uuid.UUID
    entry_id: uuid.UUID
    level_id: uuid.UUID | None
    student_id: str
    student_name: str
    entry_name: str
    entry_name_en: str | None
    entry_issuer: str | None
    level_name: str | None
    level_name_en: str | None
    national_code: str | None
    issued_on: date
    verified_at: datetime
    verified_by: Office
    original_checked: bool
    salt: str
    valid_from: datetime


def identity_hash(student_id: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex of SHA-256(identifier ‖ salt), UTF-8."""
    return "sha256$" + hashlib.sha256((student_id + salt).encode("utf-8")).hexdigest()


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def title(award: Award) -> tuple[str, str]:
    zh = award.entry_name + (f" {award.level_name}" if award.level_name else "")
    en_name = award.entry_name_en or award.entry_name
    en_level = award.level_name_en or award.level_name
    return zh, en_name + (f" {en_level}" if en_level else "")


def evidence_text(award: Award) -> tuple[str, str]:
    day = award.verified_at.astimezone(TAIPEI).date().isoformat()
    office = award.verified_by
    if award.original_checked:
        return (
            f"{office.name}於 {day} 核對證照正本並審核通過。",
            f"Checked against the original by the {office.name_en} and approved on {day}.",
        )
    return (
        f"{office.name}於 {day} 審核證照影本通過。",
        f"Reviewed and approved by the {office.name_en} on {day} (from the submitted copy).",
    )


def achievement_id(award: Award) -> str:
    return "urn:uuid:" + str(uuid.uuid5(award.entry_id, str(award.level_id or "")))


def _achievement(award: Award, issuer: Issuer) -> dict:
    zh, en = title(award)
    by_zh = f"，由{award.entry_issuer}核發" if award.entry_issuer else ""
    by_en = f", issued by {award.entry_issuer}" if award.entry_issuer else ""
    achievement = {
        "id": achievement_id(award),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": zh,
        "nameEn": en,
        "description": f"專業證照：{zh}{by_zh}。",
        "descriptionEn": f"Professional certificate: {en}{by_en}.",
        "criteria": {
            "narrative": f"持有{zh}，並經{issuer.name}查驗屬實。",
            "narrativeEn": f"Holds the {en}, verified by {issuer.name_en}.",
        },
    }
    if award.national_code:
        achievement["humanCode"] = award.national_code
    return achievement


def build_credential(award: Award, issuer: Issuer, *, status_entry: dict) -> dict:
    """The unsigned credential; :func:`credentials.domain.proof.add_proof` secures it."""
    zh, en = title(award)
    evidence_zh, evidence_en = evidence_text(award)
    awarded = datetime.combine(award.issued_on, time(0), TAIPEI)
    return {
        "@context": CONTEXT,
        "id": f"{issuer.url}/credentials/{award.public_id}",
        "type": TYPES,
        "name": zh,
        "nameEn": en,
        "issuer": {
            "id": issuer.did,
            "type": ["Profile"],
            "name": issuer.name,
            "nameEn": issuer.name_en,
            "url": issuer.url,
        },
        "validFrom": iso_z(award.valid_from),
        "awardedDate": awarded.isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(award.student_id, award.salt),
                    "identityType": IDENTITY_TYPE,
                    "hashed": True,
                    "salt": award.salt,
                },
                {"type": "IdentityObject", "identityHash": award.student_name, "identityType": "name", "hashed": False},
            ],
            "achievement": _achievement(award, issuer),
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "name": "證照查驗",
                "nameEn": "Certificate check",
                "narrative": evidence_zh,
                "narrativeEn": evidence_en,
            }
        ],
        "credentialStatus": status_entry,
    }


def status_entry(list_url: str, index: int, purpose: str = "revocation") -> dict:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    list_url: str, issuer: Issuer, encoded: str, *, valid_from: datetime, ttl_ms: int, purpose: str = "revocation"
) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": iso_z(valid_from),
        "validUntil": iso_z(valid_from + timedelta(milliseconds=ttl_ms)),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
            "ttl": ttl_ms,
        },
    }
