"""Sample events for notify's tests (the shapes other services publish)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from certhub_kit.events.certificates import (
    CatalogRequestAnswered,
    CertificateConfirmationResent,
    CertificateRegistered,
    CertificateSnapshot,
    CertificateStatusChanged,
    StudentRef,
)
from certhub_kit.events.rewards import ApplicationSubmitted, FirstReviewed, RewardPaid, SecondReviewed, TransferReturned

BASE_URL = "http://certhub.test"
TOKEN_URL = f"{BASE_URL}/api/confirm/tok-3f9a"


def student(
    email: str = "s1100001@demo.certhub.tw", *, name: str = "王小明", dept: str = "IM", sid: str = "s1100001"
) -> StudentRef:
    return StudentRef(id=sid, name=name, email=email, dept=dept, division="day", program="bachelor", class_="IM3A")


def snapshot(
    status: str = "draft",
    *,
    email: str = "s1100001@demo.certhub.tw",
    version: int = 1,
    certificate_id: uuid.UUID | None = None,
    dept: str = "IM",
    name: str = "王小明",
    entry_name: str = "TOEIC 多益測驗",
    level_name: str | None = "金色證書",
) -> CertificateSnapshot:
    return CertificateSnapshot(
        certificate_id=certificate_id or uuid.uuid4(),
        student=student(email, name=name, dept=dept),
        entry_id=uuid.uuid4(),
        entry_key="toeic",
        entry_name=entry_name,
        category=1,
        level_id=uuid.uuid4(),
        level_name=level_name,
        cefr="B2",
        score="860",
        issued_on=date(2025, 3, 14),
        status=status,
        version=version,
        registered_at=datetime(2025, 9, 1, 2, 0, tzinfo=UTC),
    )


def registered(email: str = "s1100001@demo.certhub.tw", **kw) -> CertificateRegistered:
    return CertificateRegistered(
        certificate=snapshot("draft", email=email, **kw),
        confirmation_url=TOKEN_URL,
        confirmation_expires_at=datetime(2025, 9, 8, 2, 0, tzinfo=UTC),
    )


def resent(email: str = "s1100001@demo.certhub.tw") -> CertificateConfirmationResent:
    return CertificateConfirmationResent(
        certificate=snapshot("draft", email=email, version=2),
        confirmation_url=TOKEN_URL + "b",
        confirmation_expires_at=datetime(2025, 9, 9, 2, 0, tzinfo=UTC),
    )


REASONS = {
    "approved": None,
    "rejected": "掃描檔模糊，請重新上傳清晰的證照影本",
    "rereview": "TQC 尚缺 Excel 科目",
    "credit_pending": None,
    "recorded": None,
    "verifying": None,
    "submitted": None,
}


def status_changed(
    to_status: str, email: str = "s1100001@demo.certhub.tw", *, from_status: str = "submitted", version: int = 3, **kw
) -> CertificateStatusChanged:
    return CertificateStatusChanged(
        certificate=snapshot(to_status, email=email, version=version, **kw),
        from_status=from_status,
        to_status=to_status,
        reason=REASONS.get(to_status),
        actor_id="rev-im",
        actor_name="林審核",
    )


def catalog_answer(accepted: bool, email: str = "s1100001@demo.certhub.tw") -> CatalogRequestAnswered:
    return CatalogRequestAnswered(
        request_id=uuid.uuid4(),
        student=student(email),
        name="AWS Certified Cloud Practitioner",
        accepted=accepted,
        entry_id=uuid.uuid4() if accepted else None,
        reason=None if accepted else "此證照已列於目錄「AWS 雲端認證」項下",
    )


def reviewed(kind: type, result: str, email: str = "s1100001@demo.certhub.tw") -> FirstReviewed | SecondReviewed:
    return kind(
        application_id=uuid.uuid4(),
        student=student(email),
        academic_year=114,
        standard_label="全校--1級-3項-證券商業務員",
        amount=3000,
        result=result,
        note=None if result == "Y" else "證照取得日期不在本學年度",
        reviewer_id="rev-im",
        reviewer_name="林審核",
        reviewed_at=datetime(2026, 4, 20, 6, 30, tzinfo=UTC),
    )


def first_reviewed(result: str = "Y", email: str = "s1100001@demo.certhub.tw") -> FirstReviewed:
    return reviewed(FirstReviewed, result, email)


def second_reviewed(result: str = "Y", email: str = "s1100001@demo.certhub.tw") -> SecondReviewed:
    return reviewed(SecondReviewed, result, email)


def paid(email: str = "s1100001@demo.certhub.tw") -> RewardPaid:
    return RewardPaid(
        application_id=uuid.uuid4(),
        batch_id=uuid.uuid4(),
        student=student(email),
        academic_year=114,
        standard_label="全校--1級-3項-證券商業務員",
        amount=3000,
        paid_at=datetime(2026, 6, 20, 17, 0, tzinfo=UTC),
    )


def returned(email: str = "s1100001@demo.certhub.tw", fee: int = 30) -> TransferReturned:
    return TransferReturned(
        application_id=uuid.uuid4(),
        batch_id=uuid.uuid4(),
        student=student(email),
        academic_year=114,
        standard_label="全校--1級-3項-證券商業務員",
        amount=3000,
        fee=fee,
        reason="帳號錯誤",
        returned_at=datetime(2026, 7, 1, 2, 0, tzinfo=UTC),
    )


def application(certificate_ids: list[uuid.UUID], email: str) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=uuid.uuid4(),
        student=student(email),
        academic_year=114,
        standard_label="全校--1級-3項-證券商業務員",
        amount=3000,
        certificate_ids=certificate_ids,
    )
