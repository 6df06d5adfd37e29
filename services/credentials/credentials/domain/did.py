"""The school as ``did:web`` of the public host, and its DID document (W3C DID Core, did:web)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from .keys import KeyRing

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web(public_base_url: str) -> str:
    """``did:web:<host>`` with a port percent-encoded (``127.0.0.1%3A8000``); the document is
    served at ``/.well-known/did.json`` of that host."""
    parts = urlsplit(public_base_url)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    return "did:web:" + quote(host, safe="")


def verification_method(did: str, key_id: str) -> str:
    return f"{did}#{key_id}"


def did_document(did: str, ring: KeyRing) -> dict:
    methods = [
        {
            "id": verification_method(did, k.key_id),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": k.multikey,
        }
        for k in ring.keys
    ]
    ids = [m["id"] for m in methods]
    return {"@context": DID_CONTEXT, "id": did, "verificationMethod": methods, "assertionMethod": ids}
