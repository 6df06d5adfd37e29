"""A verifier of CertHub's credentials written apart from the issuing code: it reads only what any
outsider can fetch over HTTP — the DID document, the credential, the status list — and checks them
with `cryptography` and an RFC 8785 canonicaliser, following W3C vc-di-eddsa (eddsa-jcs-2022),
did:web and Bitstring Status List. Nothing from ``services/credentials`` is imported."""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    value = 0
    for char in text:
        value = value * 58 + B58.index(char)
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + value.to_bytes((value.bit_length() + 7) // 8, "big")


@dataclass
class Outcome:
    signature: bool
    issuer_key: bool
    status_list: bool
    revoked: bool

    @property
    def valid(self) -> bool:
        return self.signature and self.issuer_key and self.status_list and not self.revoked


def did_web_path(did: str) -> str:
    """did:web:<host, port as %3A> resolves to https://<host>/.well-known/did.json (no path part here)."""
    assert did.startswith("did:web:") and ":" not in unquote(did[8:]).split(":", 1)[-1].strip("0123456789")
    return "/.well-known/did.json"


def proof_ok(document: dict, public_key: bytes) -> bool:
    proof = dict(document["proof"])
    value = proof.pop("proofValue")
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or not value.startswith("z"):
        return False
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in proof and proof["@context"] != unsecured.get("@context"):
        return False
    data = hashlib.sha256(rfc8785.dumps(proof)).digest() + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(b58decode(value[1:]), data)
        return True
    except (InvalidSignature, ValueError):
        return False


def key_of(did_document: dict, method: str) -> bytes | None:
    if method not in did_document.get("assertionMethod", []):
        return None
    for vm in did_document.get("verificationMethod", []):
        if vm["id"] == method and vm["type"] == "Multikey":
            raw = b58decode(vm["publicKeyMultibase"][1:])
            return raw[2:] if raw[:2] == b"\xed\x01" and len(raw) == 34 else None
    return None


def revoked_bit(encoded: str, index: int) -> bool:
    assert encoded.startswith("u")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 >= 131_072, "status list shorter than the minimum 131,072 entries"
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


async def verify(client: httpx.AsyncClient, credential: dict) -> Outcome:
    """``client`` talks to the issuer's public host (the credential's own URLs are made relative)."""
    did = credential["issuer"]["id"]
    did_document = (await client.get(did_web_path(did))).json()
    method = credential["proof"]["verificationMethod"]
    key = key_of(did_document, method) if did_document.get("id") == did and method.startswith(did + "#") else None
    signature = key is not None and proof_ok(credential, key)
    entry = credential["credentialStatus"]
    listed = await client.get(urlsplit(entry["statusListCredential"]).path)
    status_ok, revoked = False, False
    if listed.status_code == 200:
        status_credential = listed.json()
        list_key = key_of(did_document, status_credential["proof"]["verificationMethod"])
        status_ok = (
            list_key is not None
            and proof_ok(status_credential, list_key)
            and status_credential["issuer"] == did
            and status_credential["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
        )
        revoked = revoked_bit(status_credential["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))
    return Outcome(signature=signature, issuer_key=key is not None, status_list=status_ok, revoked=revoked)
