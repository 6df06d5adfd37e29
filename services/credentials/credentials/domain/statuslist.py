"""Bitstring Status List (W3C): a bit per credential, bit 0 the left-most bit of the first byte;
published GZIP-compressed, then multibase base64url (``u…``)."""

from __future__ import annotations

import gzip
import io

from .encoding import from_multibase_u, multibase_u

MIN_ENTRIES = 131_072  # 16 KiB: the specification's minimum, for group privacy
MAX_DECODED = 16 * 1024 * 1024


class StatusListProblem(ValueError):
    pass


def encode(size: int, set_bits: list[int] | set[int]) -> str:
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise StatusListProblem(f"index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase_u(gzip.compress(bytes(bits), mtime=0))


def decode(encoded: str) -> bytes:
    try:
        raw = from_multibase_u(encoded)
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            bits = stream.read(MAX_DECODED + 1)
    except (ValueError, OSError, EOFError) as exc:
        raise StatusListProblem("the encoded list is not GZIP in multibase base64url") from exc
    if len(bits) > MAX_DECODED:
        raise StatusListProblem("the status list is too large")
    return bits


def bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListProblem("the index is outside the status list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
