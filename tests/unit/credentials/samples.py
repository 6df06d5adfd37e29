"""A credential as the service builds it, for the unit tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from credentials.domain.credential import Award, Issuer, Office, build_credential, status_entry
from credentials.domain.did import did_web, verification_method
from credentials.domain.keys import KeyRing, generate_seed
from credentials.domain.proof import add_proof

BASE = "https://certhub.example.edu:8443"
DID = did_web(BASE)
ISSUER = Issuer(DID, "示範大學", "Demo University", BASE)
LIST_URL = f"{BASE}/api/credentials/status/1"


def award(**overrides) -> Award:
    values = dict(
        public_id="AbCdEfGhIjKlMnOpQrStUv",
        certificate_id=uuid.uuid4(),
        entry_id=uuid.uuid4(),
        level_id=uuid.uuid4(),
        student_id="s1100001",
        student_name="王小明",
        entry_name="全民英檢",
        entry_name_en="GEPT",
        entry_issuer="語言訓練測驗中心",
        level_name="中級",
        level_name_en="Intermediate",
        national_code="A100",
        issued_on=date(2026, 10, 1),
        verified_at=datetime(2026, 11, 2, 3, 4, tzinfo=UTC),
        verified_by=Office("職涯發展與輔導組", "Career Development Section"),
        original_checked=True,
        salt="00ff00ff00ff00ff",
        valid_from=datetime(2026, 11, 2, 3, 5, tzinfo=UTC),
    )
    values.update(overrides)
    return Award(**values)


def ring(count: int = 1) -> KeyRing:
    return KeyRing.from_texts([generate_seed() for _ in range(count)])


def signed(keys: KeyRing, **overrides) -> dict:
    unsigned = build_credential(award(**overrides), ISSUER, status_entry=status_entry(LIST_URL, 4242))
    return add_proof(
        unsigned,
        keys.signer.private,
        verification_method(DID, keys.signer.key_id),
        datetime(2026, 11, 2, 3, 5, tzinfo=UTC),
    )


def key_lookup(keys: KeyRing):
    def find(method):
        prefix = DID + "#"
        key = keys.find(method[len(prefix) :]) if isinstance(method, str) and method.startswith(prefix) else None
        return key.public if key else None

    return find
