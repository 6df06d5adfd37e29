"""How records look to the outside: API items and event snapshots."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from certhub_kit.auth import Principal
from certhub_kit.events.certificates import CertificateSnapshot, StudentRef

from ..domain import status as machine
from ..domain import validity
from ..domain.catalog import alias_list
from ..domain.certificate import Certificate

TAIPEI = ZoneInfo("Asia/Taipei")


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def level_item(level: dict) -> dict[str, Any]:
    return {
        "id": str(level["id"]),
        "name": level["name"],
        "name_en": level["name_en"],
        "cefr": level["cefr"],
        "min_score": _number(level["min_score"]),
        "max_score": _number(level["max_score"]),
    }


def entry_item(entry: dict) -> dict[str, Any]:
    return {
        "id": str(entry["id"]),
        "key": entry["key"],
        "name": entry["name"],
        "name_en": entry["name_en"],
        "issuer": entry["issuer"],
        "category": entry["category"],
        "foreign": entry["foreign"],
        "national_code": entry["national_code"],
        "it_certificate": entry["it_certificate"],
        "bundle": entry["bundle"],
        "active": entry["active"],
        "validity": validity.shown(entry.get("validity")),
        "aliases": alias_list(entry.get("aliases")),
        "levels": [level_item(level) for level in entry.get("levels", [])],
    }


def request_item(request: dict) -> dict[str, Any]:
    return {
        "id": str(request["id"]),
        "student_id": request["student_id"],
        "student_name": request["student_name"],
        "dept": request["dept"],
        "name": request["name"],
        "issuer": request["issuer"],
        "level_name": request["level_name"],
        "note": request["note"],
        "status": request["status"],
        "reason": request["reason"],
        "entry_id": str(request["entry_id"]) if request["entry_id"] else None,
        "answered_by": request["answered_by"],
        "answered_at": _iso(request["answered_at"]),
        "created_at": _iso(request["created_at"]),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def certificate_item(cert: Certificate, viewer: Principal) -> dict[str, Any]:
    cid = str(cert.id)
    zh, en = machine.label(cert.status)
    owner = viewer.is_student and viewer.sub == cert.student_id
    editable = owner and cert.editable
    return {
        "id": cid,
        "entry_id": str(cert.entry_id),
        "entry_key": cert.entry_key,
        "entry_name": cert.entry_name,
        "entry_name_en": cert.entry_name_en,
        "category": cert.category,
        "level_id": str(cert.level_id) if cert.level_id else None,
        "level_name": cert.level_name,
        "cefr": cert.cefr,
        "score": cert.score,
        "issued_on": cert.issued_on.isoformat(),
        "certificate_no": cert.certificate_no,
        "email": cert.email,
        "phone": cert.phone,
        "mobile": cert.mobile,
        "remarks": cert.remarks,
        "status": cert.status,
        "status_label": zh,
        "status_label_en": en,
        "thumbnail_url": f"/api/certificates/{cid}/thumbnail",
        "scan_url": f"/api/certificates/{cid}/scan",
        "scan_content_type": cert.scan_content_type,
        "scan_pages": cert.scan_pages,
        "reviewer": cert.reviewer_name,
        "reviewed_at": _iso(cert.reviewed_at),
        "review_reason": cert.review_reason,
        "review_reason_code": cert.review_reason_code,
        "review_instruction": cert.review_instruction,
        "review_instruction_en": cert.review_instruction_en,
        "can_edit": editable,
        "can_delete": editable,
        "student_id": cert.student_id,
        "student_name": cert.student_name,
        "dept": cert.dept,
        "version": cert.version,
        "created_at": _iso(cert.created_at),
        "submitted_at": _iso(cert.submitted_at),
        **expiry_fields(cert),
        "roster_id": str(cert.roster_id) if cert.roster_id else None,
    }


def expiry_fields(cert: Certificate) -> dict[str, Any]:
    """``expires_on`` (None = never) and ``expired``: a mark on screens, not a review status."""
    expiry = cert.expires_on
    return {
        "expires_on": expiry.isoformat() if expiry else None,
        "expired": validity.is_expired(expiry, datetime.now(TAIPEI).date()),
    }


def snapshot(cert: Certificate) -> CertificateSnapshot:
    return CertificateSnapshot(
        certificate_id=cert.id,
        student=StudentRef(
            id=cert.student_id,
            name=cert.student_name,
            email=cert.email,
            dept=cert.dept,
            division=cert.division,
            program=cert.program,
            class_=cert.klass,
        ),
        entry_id=cert.entry_id,
        entry_key=cert.entry_key,
        entry_name=cert.entry_name,
        category=cert.category,
        it_certificate=cert.it_certificate,
        bundle=cert.bundle,
        national_code=cert.national_code,
        level_id=cert.level_id,
        level_name=cert.level_name,
        cefr=cert.cefr,
        score=cert.score,
        issued_on=cert.issued_on,
        certificate_no=cert.certificate_no,
        scan_phash=cert.scan_phash,
        status=cert.status,
        version=cert.version,
        content_version=cert.content_version,
        registered_at=cert.created_at,
        submitted_at=cert.submitted_at,
        # names the credentials service signs (optional in the event: older producers leave them out)
        entry_name_en=cert.entry_name_en,
        entry_issuer=cert.entry_issuer,
        level_name_en=cert.level_name_en,
        expires_on=cert.expires_on,
    )


def student_ref(user: Principal) -> StudentRef:
    return StudentRef(
        id=user.sub,
        name=user.name,
        email=user.email,
        dept=user.dept,
        division=user.division,
        program=user.program,
        class_=user.klass,
    )
