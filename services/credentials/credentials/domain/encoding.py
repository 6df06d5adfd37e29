"""Multibase and multikey encodings used by Data Integrity proofs, DID documents and status lists.

base58btc (multibase prefix ``z``) for signatures and keys, base64url without padding (prefix ``u``)
for status lists; an Ed25519 public key as a Multikey is ``z`` + base58btc(0xed 0x01 + 32 bytes).
"""

from __future__ import annotations

import base64

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as an unsigned varint


class EncodingError(ValueError):
    pass


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise EncodingError(f"not base58btc: {char!r}")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_z(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def from_multibase_z(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise EncodingError("expected a multibase base58btc value (z…)")
    return base58btc_decode(text[1:])


def multibase_u(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_multibase_u(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("u"):
        raise EncodingError("expected a multibase base64url value (u…)")
    body = text[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as exc:
        raise EncodingError("not base64url") from exc


def ed25519_multikey(public_key: bytes) -> str:
    """``publicKeyMultibase`` of an Ed25519 key (starts with ``z6Mk``)."""
    return multibase_z(ED25519_PUB_PREFIX + public_key)


def ed25519_from_multikey(value: str) -> bytes:
    raw = from_multibase_z(value)
    if not raw.startswith(ED25519_PUB_PREFIX) or len(raw) != 34:
        raise EncodingError("not an Ed25519 Multikey")
    return raw[2:]
