"""Removing metadata from a PNG without decoding it again: the chunks are copied except those that
describe rather than draw the image.

Kept: the critical chunks (IHDR, PLTE, IDAT, IEND) and the ancillary chunks that change how pixels
look — transparency (tRNS), colour (cHRM, gAMA, iCCP, sRGB, sBIT, cICP), background (bKGD) and pixel
density (pHYs). Dropped: text (tEXt, zTXt, iTXt: author, software, comments), EXIF (eXIf: GPS, camera),
the time stamp (tIME), every private or unknown ancillary chunk, and everything after IEND.
"""

from __future__ import annotations

import struct

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CRITICAL = {b"IHDR", b"PLTE", b"IDAT", b"IEND"}
KEPT = CRITICAL | {b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sRGB", b"sBIT", b"cICP", b"bKGD", b"pHYs"}


class NotPlainPng(ValueError):
    """A chunk structure we do not copy with confidence (an unknown critical chunk, a bad length)."""


def png_exif(data: bytes) -> bytes | None:
    """The body of the first eXIf chunk, read from the chunk headers only (Pillow's ``getexif`` decodes
    every pixel of a PNG to look for it)."""
    i, size = len(SIGNATURE), len(data)
    while i + 12 <= size:
        (length,), kind = struct.unpack(">I", data[i : i + 4]), data[i + 4 : i + 8]
        if kind == b"eXIf":
            return data[i + 8 : i + 8 + length]
        if kind == b"IEND":
            return None
        i += 12 + length
    return None


def strip_png_metadata(data: bytes) -> bytes:
    if not data.startswith(SIGNATURE):
        raise NotPlainPng("no PNG signature")
    out, i, size = [SIGNATURE], len(SIGNATURE), len(data)
    while i + 12 <= size:
        (length,), kind = struct.unpack(">I", data[i : i + 4]), data[i + 4 : i + 8]
        end = i + 12 + length
        if end > size:
            raise NotPlainPng("truncated chunk")
        if kind in KEPT:
            out.append(data[i:end])
        elif not kind[:1].islower():  # an unknown critical chunk: the decoder would need it
            raise NotPlainPng(f"unknown critical chunk {kind!r}")
        if kind == b"IEND":
            return b"".join(out)  # whatever follows IEND is not stored
        i = end
    raise NotPlainPng("no IEND")
