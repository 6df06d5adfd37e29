"""Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite (W3C vc-di-eddsa).

Create: the proof options (``type`` DataIntegrityProof, ``cryptosuite``, ``created``,
``verificationMethod``, ``proofPurpose``) get the document's ``@context``; the signature is
Ed25519 over SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof)), encoded as
multibase base58btc. No JSON-LD context is ever fetched: JCS canonicalises the JSON as it is.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .encoding import EncodingError, from_multibase_z, multibase_z

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"


def canonical(value: Any) -> bytes:
    """RFC 8785 JSON Canonicalization Scheme."""
    return rfc8785.dumps(value)


def _hash_data(options: dict, document: dict) -> bytes:
    return hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_proof(
    document: dict,
    key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    purpose: str = "assertionMethod",
) -> dict:
    """A copy of ``document`` with an embedded proof (any earlier ``proof`` is replaced)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options: dict = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _iso(created),
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    if "@context" in unsecured:
        options["@context"] = copy.deepcopy(unsecured["@context"])
    signature = key.sign(_hash_data(options, unsecured))
    return {**copy.deepcopy(unsecured), "proof": {**options, "proofValue": multibase_z(signature)}}


class ProofProblem(ValueError):
    """Why a proof does not verify (an English sentence; the caller shows it in both languages)."""


KeyLookup = Callable[[str], Ed25519PublicKey | None]


def verify_proof(secured: dict, key_for: KeyLookup, purpose: str = "assertionMethod") -> str:
    """Returns the verification method that signed ``secured``; raises :class:`ProofProblem`."""
    if not isinstance(secured, dict):
        raise ProofProblem("the credential is not a JSON object")
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise ProofProblem("no single embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofProblem("not a DataIntegrityProof with eddsa-jcs-2022")
    if proof.get("proofPurpose") != purpose:
        raise ProofProblem(f"proof purpose is not {purpose}")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    if "@context" in options and options["@context"] != unsecured.get("@context"):
        raise ProofProblem("the proof's @context differs from the document's")
    method = options.get("verificationMethod")
    public = key_for(method) if isinstance(method, str) else None
    if public is None or not isinstance(method, str):
        raise ProofProblem("the verification method is not a key of this issuer")
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise ProofProblem("the signature does not match the credential")
    try:
        signature = from_multibase_z(value)
        public.verify(signature, _hash_data(options, unsecured))
    except (EncodingError, InvalidSignature, TypeError) as exc:
        raise ProofProblem("the signature does not match the credential") from exc
    return method
