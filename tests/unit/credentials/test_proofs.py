"""eddsa-jcs-2022 proofs and VC-JWTs: round trips, tampering, keys and rotation."""

from __future__ import annotations

import copy

import pytest

from credentials.adapters import vcjwt
from credentials.domain.did import did_document, did_web
from credentials.domain.encoding import (
    base58btc_decode,
    base58btc_encode,
    ed25519_from_multikey,
    from_multibase_u,
    multibase_u,
)
from credentials.domain.keys import KeyRing, generate_seed
from credentials.domain.proof import ProofProblem, verify_proof

from .samples import DID, key_lookup, ring, signed


def leaves(value, path=()):
    """Every scalar of a JSON document, with its path."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaves(inner, (*path, index))
    else:
        yield path, value


def changed(document: dict, path: tuple) -> dict:
    copy_ = copy.deepcopy(document)
    target = copy_
    for step in path[:-1]:
        target = target[step]
    old = target[path[-1]]
    target[path[-1]] = (not old) if isinstance(old, bool) else (old + 1) if isinstance(old, int) else f"{old}x"
    return copy_


def test_a_signed_credential_verifies_with_its_key():
    keys = ring()
    document = signed(keys)
    assert verify_proof(document, key_lookup(keys)) == f"{DID}#key-1"
    assert document["proof"]["proofValue"].startswith("z")
    assert document["proof"]["@context"] == document["@context"]


def test_changing_any_field_breaks_the_signature():
    keys = ring()
    document = signed(keys)
    paths = [p for p, _ in leaves(document) if p[:2] != ("proof", "proofValue") and p[0] != "proof"]
    paths += [("proof", "created"), ("proof", "verificationMethod")]
    assert len(paths) > 40
    for path in paths:
        with pytest.raises(ProofProblem):
            verify_proof(changed(document, path), key_lookup(keys))


def test_added_or_removed_fields_break_the_signature():
    keys = ring()
    document = signed(keys)
    with pytest.raises(ProofProblem):
        verify_proof({**document, "validUntil": "2099-01-01T00:00:00Z"}, key_lookup(keys))
    with pytest.raises(ProofProblem):
        verify_proof({k: v for k, v in document.items() if k != "evidence"}, key_lookup(keys))


def test_another_key_or_an_unknown_method_is_refused():
    document = signed(ring())
    with pytest.raises(ProofProblem):
        verify_proof(document, key_lookup(ring()))
    with pytest.raises(ProofProblem):
        verify_proof(document, lambda method: None)


def test_rotation_keeps_old_ids_and_old_credentials_valid():
    old_seed = generate_seed()
    before = KeyRing.from_texts([old_seed])
    document = signed(before)
    after = KeyRing.from_texts([generate_seed(), old_seed])
    assert [k.key_id for k in after.keys] == ["key-2", "key-1"]
    assert verify_proof(document, key_lookup(after)) == f"{DID}#key-1"
    methods = did_document(DID, after)["verificationMethod"]
    assert [m["id"] for m in methods] == [f"{DID}#key-2", f"{DID}#key-1"]
    assert all(m["publicKeyMultibase"].startswith("z6Mk") and m["type"] == "Multikey" for m in methods)
    assert ed25519_from_multikey(methods[1]["publicKeyMultibase"]) == before.signer.public_bytes


def test_vc_jwt_round_trip_and_tampering():
    keys = ring()
    document = signed(keys)
    token = vcjwt.encode(document, keys.signer.private, f"{DID}#key-1")
    credential, kid = vcjwt.decode(token, key_lookup(keys))
    assert kid == f"{DID}#key-1" and "proof" not in credential and credential["id"] == document["id"]
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])
    with pytest.raises(vcjwt.JwtProblem):
        vcjwt.decode(forged, key_lookup(keys))
    with pytest.raises(vcjwt.JwtProblem):
        vcjwt.decode(token, key_lookup(ring()))


def test_did_web_percent_encodes_the_port_and_encodings_round_trip():
    assert did_web("http://127.0.0.1:8000/") == "did:web:127.0.0.1%3A8000"
    assert did_web("https://school.edu.tw") == "did:web:school.edu.tw"
    for data in (b"", b"\0\0abc", bytes(range(256))):
        assert base58btc_decode(base58btc_encode(data)) == data
        assert from_multibase_u(multibase_u(data)) == data
    assert base58btc_encode(b"hello world") == "StV1DL6CwTryKyV"
