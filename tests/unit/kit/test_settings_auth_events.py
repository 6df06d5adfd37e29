"""Kit pieces that need no server: settings, tokens, the event catalog."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from certhub_kit.auth import DevIssuer, Principal, TokenVerifier, generate_dev_key
from certhub_kit.errors import Unauthorized
from certhub_kit.events import EVENT_TYPES, Envelope
from certhub_kit.events.asyncapi import document
from certhub_kit.events.certificates import CertificateDeleted
from certhub_kit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[3]


def test_production_refuses_dev_auth_and_missing_servers():
    with pytest.raises(ValueError, match="dev auth"):
        ServiceSettings(
            env="production",
            auth_mode="dev",
            database_url="x",
            amqp_url="y",
            oidc_issuer="https://sso/realms/certhub",
            oidc_audience="certhub",
        )
    with pytest.raises(ValueError, match="DATABASE_URL"):
        ServiceSettings(
            env="production", amqp_url="y", oidc_issuer="https://sso/realms/certhub", oidc_audience="certhub"
        )
    with pytest.raises(ValueError, match="S3 secret"):
        ServiceSettings(
            env="production",
            database_url="x",
            amqp_url="y",
            oidc_issuer="https://sso/realms/certhub",
            oidc_audience="certhub",
            s3_endpoint="minio:9000",
            s3_secret_key="minioadmin",
        )
    ok = ServiceSettings(
        env="production",
        database_url="x",
        amqp_url="y",
        oidc_issuer="https://sso/realms/certhub",
        oidc_audience="certhub",
    )
    assert ok.auth_mode == "oidc"


def test_dev_token_round_trip_gives_principal_with_roles_and_departments():
    issuer = DevIssuer(generate_dev_key())
    principal = TokenVerifier(public_key=issuer.public_key).verify(issuer.for_user("rev-im"))
    assert principal.sub == "rev-im" and principal.roles == {"reviewer"} and principal.depts == ("IM",)
    assert principal.can_review_dept("IM") and not principal.can_review_dept("EE")


def test_expired_and_foreign_tokens_are_refused_with_clear_codes():
    issuer, stranger = DevIssuer(generate_dev_key()), DevIssuer(generate_dev_key())
    verifier = TokenVerifier(public_key=issuer.public_key)
    with pytest.raises(Unauthorized) as expired:
        verifier.verify(issuer.issue({"sub": "s1100001", "roles": ["student"]}, ttl_seconds=-10))
    assert expired.value.code == "token_expired" and "逾時" in expired.value.message
    with pytest.raises(Unauthorized) as foreign:
        verifier.verify(stranger.for_user("admin"))
    assert foreign.value.code == "invalid_token"
    with pytest.raises(Unauthorized):
        verifier.verify("not-a-jwt")


def test_a_remembered_token_still_expires_and_a_look_alike_is_still_checked():
    issuer, stranger = DevIssuer(generate_dev_key()), DevIssuer(generate_dev_key())
    verifier = TokenVerifier(public_key=issuer.public_key)
    token = issuer.issue({"sub": "s1100001", "roles": ["student"]}, ttl_seconds=1)
    assert verifier.verify(token) is verifier.verify(token)  # the second answer came from memory
    forged = stranger.issue({"sub": "s1100001", "roles": ["student"]}, ttl_seconds=60)
    with pytest.raises(Unauthorized) as foreign:
        verifier.verify(forged)
    assert foreign.value.code == "invalid_token"
    time.sleep(1.05)
    with pytest.raises(Unauthorized) as expired:
        verifier.verify(token)
    assert expired.value.code == "token_expired"


def test_remembered_tokens_are_bounded():
    issuer = DevIssuer(generate_dev_key())
    verifier = TokenVerifier(public_key=issuer.public_key, remember=8)
    tokens = [issuer.issue({"sub": f"s{n}", "roles": ["student"]}) for n in range(20)]
    assert [verifier.verify(t).sub for t in tokens] == [f"s{n}" for n in range(20)]
    assert len(verifier._verified) == 8 and tokens[-1] in verifier._verified and tokens[0] not in verifier._verified


def test_keycloak_realm_roles_are_understood():
    principal = Principal.from_claims(
        {
            "sub": "x",
            "preferred_username": "center",
            "name": "職輔組",
            "realm_access": {"roles": ["center", "offline_access"]},
        }
    )
    assert principal.sub == "center" and principal.roles == {"center"} and principal.is_center


def test_envelope_is_cloudevents_and_round_trips_typed_payload():
    data = CertificateDeleted(certificate_id="6a1f7c1e-5f5e-4a8a-9a57-0f5a2d8f2b11", student_id="s1100001")
    envelope = Envelope.wrap(data, source="certificates", subject="c1", correlation_id="abc")
    wire = json.loads(envelope.model_dump_json())
    assert wire["specversion"] == "1.0" and wire["type"] == "certificate.deleted.v1"
    assert {"id", "source", "time", "subject", "datacontenttype", "data", "correlationid"} <= set(wire)
    assert Envelope.model_validate(wire).payload() == data


def test_every_event_type_is_versioned_and_in_the_published_asyncapi_document():
    assert all(name.rsplit(".", 1)[-1][0] == "v" and name.rsplit(".", 1)[-1][1:].isdigit() for name in EVENT_TYPES)
    published = json.loads((ROOT / "docs" / "asyncapi.json").read_text())
    assert published == json.loads(json.dumps(document())), (
        "docs/asyncapi.json is stale: python -m certhub_kit.events.asyncapi > docs/asyncapi.json"
    )
    assert published["asyncapi"].startswith("3.")
