"""The credential has every property the Open Badges 3.0 AchievementCredential schema requires, and
what must never be in it is not: the student number in clear, the scan."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from credentials.domain.credential import identity_hash
from credentials.domain.statuslist import MIN_ENTRIES, bit, decode, encode
from credentials.settings import CredentialsSettings

from .samples import ring, signed

SCHEMA = json.loads((Path(__file__).parent / "ob3_achievementcredential_required.json").read_text())


def test_the_credential_meets_the_ob3_required_properties():
    document = signed(ring())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["issuer"]["id"] == "did:web:certhub.example.edu%3A8443"


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "achievement", "criteria"),
        ("credentialSubject", "achievement", "description"),
        ("issuer", "type"),
        ("credentialSubject", "identifier", 0, "hashed"),
    ],
)
def test_the_schema_subset_catches_a_missing_property(path):
    document = signed(ring())
    target = document
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_no_student_number_in_clear_and_a_salted_hash_that_checks():
    document = signed(ring())
    assert "s1100001" not in json.dumps(document, ensure_ascii=False)
    identity = document["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == identity_hash("s1100001", identity["salt"])
    assert identity["identityHash"].startswith("sha256$") and identity["hashed"] is True
    assert "scan" not in json.dumps(document).lower()
    assert "核對證照正本" in document["evidence"][0]["narrative"]
    assert "original" in document["evidence"][0]["narrativeEn"]


def test_status_lists_keep_the_minimum_size_and_bit_order():
    encoded = encode(MIN_ENTRIES, {0, 9, MIN_ENTRIES - 1})
    bits = decode(encoded)
    assert encoded.startswith("u") and len(bits) == MIN_ENTRIES // 8
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [bit(bits, i) for i in (0, 1, 9, MIN_ENTRIES - 1)] == [True, False, True, True]


def test_production_refuses_to_start_without_signing_keys():
    production = dict(
        env="production",
        database_url="postgresql+asyncpg://x/y",
        amqp_url="amqp://x",
        oidc_issuer="https://sso.example.edu.tw/realms/certhub",
        oidc_audience="certhub",
    )
    with pytest.raises(ValueError, match="SIGNING_KEYS"):
        CredentialsSettings(**production)
    with pytest.raises(ValueError):
        CredentialsSettings(**production, credentials_signing_keys=["not a key"])
    assert CredentialsSettings(**production, credentials_signing_keys=[ring().keys[0] and "A" * 43])
