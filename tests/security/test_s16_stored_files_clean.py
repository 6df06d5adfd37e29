"""S16: what "stripping metadata" leaves. Scans carrying GPS EXIF, XMP, comments (between the scans of
a progressive JPEG too), a JFIF thumbnail, PNG text/EXIF/time chunks, an appended second JPEG with its
own GPS block and an HTML trailer are registered over HTTP; the stored objects hold nothing after EOI,
IEND or %%EOF, no APPn segment but JFIF (without thumbnail), Adobe and ICC, no COM, no ancillary text
chunk; every stored object is answered with ``Content-Security-Policy: sandbox`` and ``nosniff``."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import text

from tests.support.samples import certificate_jpeg, certificate_png, one_page_pdf

pytestmark = pytest.mark.security
STUDENT = "s1100002"
SECRET = b"25.0330N 121.5654E s1100002 0912345678"
TRAILER = b"<html><script>alert(document.cookie)</script></html>"


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def gps_jpeg(seed: int, progressive: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam " + SECRET.decode()  # Make
    exif.get_ifd(0x8825)[2] = (25.0, 2.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    Image.open(io.BytesIO(certificate_jpeg(seed, (320, 240)))).save(
        out, "JPEG", exif=exif.tobytes(), progressive=progressive
    )
    return out.getvalue()


def hostile_jpeg() -> bytes:
    """GPS EXIF, XMP, a JFIF thumbnail, comments before and between scans, a second image and HTML after EOI."""
    data = gps_jpeg(1, progressive=True)
    jfif = _segment(0xE0, b"JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x02\x02" + b"\x10" * 12)
    xmp = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET + b"</x:xmpmeta>")
    body = data[2:]
    second_scan = body.find(b"\xff\xda", body.find(b"\xff\xda") + 2)
    body = body[:second_scan] + _segment(0xFE, SECRET) + body[second_scan:]
    return b"\xff\xd8" + jfif + xmp + _segment(0xFE, SECRET) + body + gps_jpeg(2) + TRAILER


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def hostile_png() -> bytes:
    data = certificate_png(3)
    end = data.rfind(b"IEND") - 4
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    extra = (
        _chunk(b"tEXt", b"Author\x00" + SECRET)
        + _chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + SECRET)
        + _chunk(b"eXIf", exif.tobytes()[6:] if exif.tobytes().startswith(b"Exif") else exif.tobytes())
        + _chunk(b"tIME", b"\x07\xea\x0c\x01\x0c\x00\x00")
        + _chunk(b"prVt", SECRET)
    )
    return data[:end] + extra + data[end:] + TRAILER


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of the stored JPEG's segments, outside entropy-coded data."""
    markers, i = [], 2
    while i < len(data):
        while data[i] == 0xFF:
            i += 1
        marker = data[i]
        markers.append(marker)
        if marker == 0xD9:
            return markers
        i += 1 + struct.unpack(">H", data[i + 1 : i + 3])[0]
        if marker == 0xDA:
            while not (data[i] == 0xFF and data[i + 1] not in (0x00, *range(0xD0, 0xD8))):
                i += 1
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    kinds, i = [], 8
    while i < len(data):
        length, kind = struct.unpack(">I", data[i : i + 4])[0], data[i + 4 : i + 8]
        kinds.append(kind)
        i += 12 + length
    return kinds


async def _stored(fleet, certificate_id: str) -> bytes:
    async with fleet.runtime("certificates").db.engine.connect() as conn:
        key = await conn.scalar(text("SELECT scan_key FROM certificates WHERE id = :i"), {"i": certificate_id})
    return await fleet.runtime("certificates").storage.get("scans", key)


async def test_s16_stored_scans_keep_only_what_decoding_needs(fleet) -> None:
    uploads = {"jpeg": hostile_jpeg(), "png": hostile_png(), "pdf": one_page_pdf() + TRAILER}
    stored, problems, headers = {}, [], []
    for kind, data in uploads.items():
        certificate = await fleet.register(STUDENT, "toeic-lr", "藍色證書", scan=data, remarks=f"S16 {kind}")
        stored[kind] = await _stored(fleet, certificate["id"])
        async with fleet.client("certificates", STUDENT) as client:
            answer = await client.get(f"/api/certificates/{certificate['id']}/scan")
        headers.append(
            answer.headers.get("content-security-policy") == "sandbox"
            and answer.headers.get("x-content-type-options") == "nosniff"
        )
    jpeg, png, pdf = stored["jpeg"], stored["png"], stored["pdf"]
    app_segments = [m for m in jpeg_segments(jpeg) if 0xE0 <= m <= 0xEF or m == 0xFE]
    after_end = (
        len(jpeg) - (jpeg.rfind(b"\xff\xd9") + 2),
        len(png) - (png.rfind(b"IEND") + 8),
        len(pdf) - (pdf.rfind(b"%%EOF") + 6),
    )
    text_chunks = [k for k in png_chunks(png) if k[:1].islower() and k not in (b"pHYs", b"sRGB", b"gAMA", b"iCCP")]
    secrets = sum(SECRET in blob or b"GPS" in blob or b"<html" in blob for blob in stored.values())
    jfifs = [jpeg[at - 4 : at + 14] for at in range(len(jpeg)) if jpeg.startswith(b"JFIF\x00", at)]
    print(
        f"\nS16: {len(stored)} stored scans (JPEG with GPS/XMP/COM/thumbnail/second image/HTML, PNG with "
        f"text/EXIF/time/private chunks, PDF with HTML): {max(after_end)} bytes after EOI/IEND/%%EOF, "
        f"APPn/COM kept {[hex(m) for m in app_segments]} (JFIF only, thumbnails removed), "
        f"{len(text_chunks)} text/EXIF chunks, "
        f"{secrets} files with the secret, GPS or HTML; {sum(headers)}/{len(headers)} object answers sandboxed"
    )
    assert after_end == (0, 0, 0) or max(after_end) <= 0, after_end
    assert set(app_segments) == {0xE0} and all(j[2:4] == b"\x00\x10" for j in jfifs), (app_segments, jfifs)
    assert not text_chunks and secrets == 0 and all(headers), problems
    Image.open(io.BytesIO(jpeg)).load()
    Image.open(io.BytesIO(png)).load()


async def test_s16_pdfs_that_could_act_are_refused(fleet) -> None:
    from tests.support.upload_corpus import active_pdfs

    before = await fleet.footprint("certificates")
    refused = []
    for name, data in active_pdfs().items():
        gept = fleet.entries["gept"]
        async with fleet.client("certificates", STUDENT) as client:
            answer = await client.post(
                "/api/certificates",
                data={
                    "entry_id": gept["id"],
                    "level_id": gept["levels"]["中級"],
                    "issued_on": "2026-10-01",
                    "email": f"{STUDENT}@demo.certhub.tw",
                },
                files={"scan": (f"{name}.pdf", data, "application/pdf")},
            )
        if answer.status_code == 422 and answer.json()["error"]["code"] == "pdf_active_content":
            refused.append(name)
    print(
        f"S16: {len(refused)}/{len(active_pdfs())} PDFs with JavaScript, OpenAction, page AA, Launch or an "
        "embedded file refused (422 pdf_active_content), nothing stored"
    )
    assert len(refused) == len(active_pdfs()) and await fleet.footprint("certificates") == before
