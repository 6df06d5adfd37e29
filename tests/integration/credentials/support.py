"""Certificate events as the certificates service emits them, and waiting for their effects."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from certhub_kit.events.certificates import CertificateSnapshot, CertificateStatusChanged, StudentRef
from tests.integration.notify.support import consumed, envelope


def snapshot(
    certificate_id: uuid.UUID, status: str, version: int, student: str = "s1100001", name: str = "王小明"
) -> CertificateSnapshot:
    return CertificateSnapshot(
        certificate_id=certificate_id,
        student=StudentRef(id=student, name=name, dept="IM"),
        entry_id=uuid.UUID("00000000-0000-0000-0000-00000000e001"),
        entry_key="GEPT",
        entry_name="全民英檢",
        entry_name_en="GEPT",
        entry_issuer="財團法人語言訓練測驗中心",
        category=1,
        level_id=uuid.UUID("00000000-0000-0000-0000-00000000a002"),
        level_name="中級",
        level_name_en="Intermediate",
        issued_on=date(2026, 10, 1),
        status=status,
        version=version,
        registered_at=datetime(2026, 10, 5, tzinfo=UTC),
        national_code="A100",
    )


async def change(publisher, runtime, certificate_id: uuid.UUID, from_status: str, to_status: str, version: int, **kw):
    event = envelope(
        CertificateStatusChanged(
            certificate=snapshot(certificate_id, to_status, version, **kw),
            from_status=from_status,
            to_status=to_status,
            actor_id="rev-im",
            actor_name="資管審核",
        )
    )
    await publisher.publish(event)
    await consumed(runtime, event.id)
    return event
