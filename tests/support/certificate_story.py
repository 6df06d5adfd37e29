"""A day of certificate events as a consumer meets them: interleaved, some late, some twice.

Certificates follow real paths (approved at once; rejected, fixed and approved; a draft confirmed
and verified; registered and deleted), across students, a TQC bundle, a shared certificate
number; then neighbours are swapped (a newer version arrives first) and some deliveries repeat.
"""

from __future__ import annotations

import random
import uuid
from datetime import date

from certhub_kit.auth import demo_claims
from certhub_kit.events import Envelope
from certhub_kit.events.certificates import (
    CertificateConfirmed,
    CertificateDeleted,
    CertificateRegistered,
    CertificateSnapshot,
    CertificateStatusChanged,
    CertificateUpdated,
    StudentRef,
)

from .set_handling import at

STUDENTS = ("s1100001", "s1100002", "s1100003")
ENTRIES = (  # key, name, category, it certificate, bundle
    ("gept", "全民英檢", 1, False, None),
    ("toeic-lr", "多益", 1, False, None),
    ("tqc-word", "TQC 文書處理", 3, True, "TQC"),
    ("tqc-excel", "TQC 電子試算表", 3, True, "TQC"),
    ("tqc-powerpoint", "TQC 簡報", 3, True, "TQC"),
    ("cisco-ccna", "Cisco CCNA", 3, True, None),
    ("food-safety", "食品安全管制系統", 5, False, None),
)
PATHS = (
    ("submitted", "approved"),
    ("submitted", "rejected", "submitted", "approved"),
    ("draft", "submitted", "verifying", "credit_pending", "approved"),
    ("submitted", "deleted"),
    ("submitted", "rejected"),
    ("submitted", "approved", "rejected"),
    ("submitted", "approved", "rejected", "submitted", "approved"),
)


def student(username: str) -> StudentRef:
    claims = demo_claims(username)
    return StudentRef(
        id=username,
        name=claims["name"],
        email=claims["email"],
        dept=claims["dept"][0],
        division=claims.get("division"),
        program=claims.get("program"),
        class_=claims.get("class"),
    )


def _chain(rng: random.Random, n: int) -> list[Envelope]:
    key, name, category, it, bundle = ENTRIES[n % len(ENTRIES)]
    day = 1 + n % 20
    first = CertificateSnapshot(
        certificate_id=uuid.UUID(int=rng.getrandbits(128)),
        student=student(STUDENTS[n % len(STUDENTS)]),
        entry_id=uuid.uuid5(uuid.NAMESPACE_URL, key),
        entry_key=key,
        entry_name=name,
        category=category,
        it_certificate=it,
        bundle=bundle,
        issued_on=date(2026, 2, day),
        status="submitted",
        certificate_no="DUP-1" if n % 9 == 4 else f"NO-{n}",
        registered_at=at(day),
        level_name="中級" if key == "gept" else None,
    )
    events, previous = [], None
    for version, status in enumerate(rng.choice(PATHS), start=1):
        if status == "deleted":
            events.append(CertificateDeleted(certificate_id=first.certificate_id, student_id=first.student.id))
            continue
        snap = first.model_copy(
            update={"status": status, "version": version, "submitted_at": None if status == "draft" else at(day, 10)}
        )
        if previous is None:
            events.append(CertificateRegistered(certificate=snap, confirmation_url=f"http://certhub.test/c/{n}"))
        elif previous == "draft":
            events.append(CertificateConfirmed(certificate=snap))
        elif previous == "rejected":
            events.append(CertificateUpdated(certificate=snap))
        else:
            events.append(
                CertificateStatusChanged(
                    certificate=snap, from_status=previous, to_status=status, actor_id="rev-im", actor_name="林審核"
                )
            )
        previous = status
    return [Envelope.wrap(e, source="certificates", subject=str(first.certificate_id)) for e in events]


def certificate_story(seed: int = 7, certificates: int = 30) -> list[Envelope]:
    rng = random.Random(seed)
    chains = [_chain(rng, n) for n in range(certificates)]
    deliveries: list[Envelope] = []
    while any(chains):
        chain = rng.choice([c for c in chains if c])
        deliveries.append(chain.pop(0))
    for i in range(0, len(deliveries) - 1, 5):  # a newer version overtakes an older one
        deliveries[i], deliveries[i + 1] = deliveries[i + 1], deliveries[i]
    for envelope in rng.sample(deliveries, len(deliveries) // 8):  # redelivered, later
        deliveries.insert(rng.randrange(len(deliveries) + 1), envelope)
    return deliveries
