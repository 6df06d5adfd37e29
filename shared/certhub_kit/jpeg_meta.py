"""Removing metadata from a JPEG without decoding it again: the file is rebuilt from its segments,
keeping only what decoding needs and dropping everything else, wherever it stands.

Kept: the frame and table segments, the scans (SOS headers and their entropy-coded data, up to the
next marker), restart markers, and three application segments that affect how the pixels look and
carry nothing about a person — APP0 JFIF (density; its embedded thumbnail removed, since a thumbnail
may show what the student cropped away), APP14 Adobe (the colour transform: without it a CMYK/YCCK
scan decodes with wrong colours) and APP2 ICC_PROFILE (the colour profile; it names a colour space or
at most a device model). Dropped: every other APPn (EXIF with GPS and camera serials, XMP, IPTC,
maker notes, JFXX thumbnails), every COM comment, between scans too, and everything after EOI (an
appended second image, an HTML trailer).

Re-encoding a 200 KiB scan costs tens of milliseconds of CPU per upload and loses quality; copying
segments costs well under a millisecond and keeps the pixels exactly as the student scanned them.
"""

from __future__ import annotations

SOI, SOS, EOI = 0xD8, 0xDA, 0xD9
APP0, APP2, APP14, COM = 0xE0, 0xE2, 0xEE, 0xFE
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length


class NotPlainJpeg(ValueError):
    """The marker structure is not one we copy with confidence: the caller re-encodes instead."""


def _kept(marker: int, body: bytes) -> bytes | None:
    """The segment body to write, or None to drop it."""
    if marker == APP0:
        if body.startswith(b"JFIF\x00") and len(body) >= 14:
            return body[:12] + b"\x00\x00"  # version, units, density; thumbnail 0×0
        return None  # JFXX (a thumbnail) or anything else
    if marker == APP14:
        return body if body.startswith(b"Adobe") else None
    if marker == APP2:
        return body if body.startswith(b"ICC_PROFILE\x00") else None
    if 0xE1 <= marker <= 0xEF or marker == COM:
        return None
    return body  # tables and frame headers


def _entropy_end(data: bytes, i: int) -> int:
    """Where the entropy-coded data starting at ``i`` ends: the first 0xFF that begins a marker
    (not a stuffed 0xFF00, a restart marker or a fill byte)."""
    size = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= size:
            raise NotPlainJpeg("scan data without an end")
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
        elif following == 0xFF:
            i += 1
        else:
            return i


def strip_metadata(data: bytes) -> bytes:
    """The same JPEG with only what decoding needs, ending at EOI; raises NotPlainJpeg when unsure."""
    if data[:2] != b"\xff\xd8":
        raise NotPlainJpeg("no SOI")
    out, i, size, scans = [b"\xff\xd8"], 2, len(data), 0
    while i < size:
        if data[i] != 0xFF:
            raise NotPlainJpeg(f"expected a marker at {i}")
        while i < size and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= size:
            raise NotPlainJpeg("truncated marker")
        marker = data[i]
        i += 1
        if marker in STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if marker == EOI:
            if not scans:
                raise NotPlainJpeg("EOI before any scan")
            out.append(b"\xff\xd9")
            return b"".join(out)  # whatever follows EOI is not stored
        if marker == SOI:
            raise NotPlainJpeg("a second SOI")
        if i + 2 > size:
            raise NotPlainJpeg("truncated segment length")
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2 or i + length > size:
            raise NotPlainJpeg("bad segment length")
        body = _kept(marker, data[i + 2 : i + length])
        if body is not None:
            out.append(bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body)
        i += length
        if marker == SOS:
            scans += 1
            end = _entropy_end(data, i)
            out.append(data[i:end])
            i = end
    raise NotPlainJpeg("no EOI")
