"""The bad-upload corpus (docs/product.md, "Quality bars"; issue #9 S3): files every upload endpoint must refuse with a
clear zh-TW + English message, storing nothing. Made on the spot, small in memory."""

from __future__ import annotations

import functools
import io
import struct
from dataclasses import dataclass

from PIL import Image

from tests.support.samples import certificate_jpeg, one_page_pdf


@dataclass(frozen=True)
class BadFile:
    name: str
    data: bytes
    filename: str
    content_type: str


def png_bomb() -> bytes:
    """9000×9000 one-bit pixels: a few kB on disk, 81 megapixels once decoded."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def pixel_flood_jpeg() -> bytes:
    """A tiny real JPEG whose frame header claims 65 500 × 65 500 pixels."""
    data = bytearray(certificate_jpeg(1, (120, 90)))
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at > 0:
            data[at + 5 : at + 9] = struct.pack(">HH", 65500, 65500)
            return bytes(data)
    raise AssertionError("no SOF marker")


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "GIF")
    return out.getvalue()


def many_page_pdf(pages: int = 25) -> bytes:
    out = io.BytesIO()
    first, *rest = [Image.new("RGB", (50, 70), "white") for _ in range(pages)]
    first.save(out, "PDF", save_all=True, append_images=rest)
    return out.getvalue()


def corpus(max_bytes: int = 2 * 1024 * 1024) -> list[BadFile]:
    jpeg = certificate_jpeg(2, (400, 300))
    script = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    return [
        BadFile("empty", b"", "scan.jpg", "image/jpeg"),
        BadFile("oversize", jpeg + b"\0" * (max_bytes + 1 - len(jpeg)), "big.jpg", "image/jpeg"),
        BadFile("truncated-jpeg", jpeg[:700], "cut.jpg", "image/jpeg"),
        BadFile("polyglot-jpeg-header-pdf", b"\xff\xd8\xff\xe0" + one_page_pdf(), "x.pdf", "application/pdf"),
        BadFile(
            "polyglot-pdf-html", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF", "x.pdf", "application/pdf"
        ),
        BadFile("text-named-jpg", b"hello, I am not a picture\n" * 20, "scan.jpg", "image/jpeg"),
        BadFile("gif-named-png", gif(), "scan.png", "image/png"),
        BadFile("svg-with-script", script, "scan.png", "image/png"),
        BadFile("html-named-pdf", b"<!doctype html><h1>hi</h1>", "scan.pdf", "application/pdf"),
        BadFile("decompression-bomb-png", png_bomb(), "bomb.png", "image/png"),
        BadFile("pixel-flood-jpeg", pixel_flood_jpeg(), "flood.jpg", "image/jpeg"),
        BadFile("pdf-25-pages", many_page_pdf(), "many.pdf", "application/pdf"),
        BadFile("path-traversal-name", b"root:x:0:0:root:/root:/bin/bash\n", "../../../etc/passwd", "image/jpeg"),
        BadFile("windows-traversal-name", b"MZ\x90\x00" + b"\0" * 200, "..\\..\\windows\\evil.exe", "image/jpeg"),
        BadFile("control-char-name", b"\x00\x01\x02 not an image", "scan\r\nX-Evil: 1\x00.jpg", "image/jpeg"),
        *hostile_corpus(),
    ]


def csv_corpus(max_bytes: int) -> list[BadFile]:
    """What a CSV import must refuse: binary files, a bomb, oversize, NUL bytes, nothing at all."""
    return [
        BadFile("empty", b"", "c.csv", "text/csv"),
        BadFile("jpeg-named-csv", certificate_jpeg(3, (64, 64)), "c.csv", "text/csv"),
        BadFile("decompression-bomb-png", png_bomb(), "c.csv", "text/csv"),
        BadFile("nul-bytes", b"a,b\x00,c\n\x00\x00\xff\xfe", "c.csv", "text/csv"),
        BadFile("oversize", b"x," * (max_bytes // 2 + 1), "c.csv", "text/csv"),
        BadFile("path-traversal-name", b"\x89PNG\r\n\x1a\n", "../../../etc/cron.d/x", "text/csv"),
    ]


# --- hostile files of issue #15 (items 6, 7, 10) ------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.lru_cache(maxsize=4)
def flood_png(width: int = 6300, height: int = 6300) -> bytes:
    """An RGBA PNG of ``width`` × ``height`` transparent pixels, compressed row by row: ~170 KB for
    6300 × 6300, 160 MB once decoded — made without ever holding the pixels."""
    import zlib

    squeeze, row, parts = zlib.compressobj(9), b"\x00" * (1 + 4 * width), []
    for _ in range(height):
        parts.append(squeeze.compress(row))
    parts.append(squeeze.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def active_pdfs() -> dict[str, bytes]:
    """One-page PDFs that could do more than show a page: each must be refused."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    def made(change) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(200, 280)
        change(writer)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def action(kind: str, **fields) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/S"): NameObject(kind),
                **{NameObject(f"/{k}"): TextStringObject(v) for k, v in fields.items()},
            }
        )

    def page_aa(writer) -> None:
        on_open = action("/JavaScript", JS="app.alert(1)")
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): on_open})

    return {
        "pdf-javascript": made(
            lambda w: w._root_object.__setitem__(
                NameObject("/Names"),
                DictionaryObject(
                    {
                        NameObject("/JavaScript"): DictionaryObject(
                            {
                                NameObject("/Names"): ArrayObject(
                                    [TextStringObject("hello"), action("/JavaScript", JS="app.alert(1)")]
                                )
                            }
                        )
                    }
                ),
            )
        ),
        "pdf-open-action": made(
            lambda w: w._root_object.__setitem__(NameObject("/OpenAction"), action("/JavaScript", JS="app.alert(1)"))
        ),
        "pdf-page-aa": made(page_aa),
        "pdf-launch": made(
            lambda w: w._root_object.__setitem__(NameObject("/OpenAction"), action("/Launch", F="calc.exe"))
        ),
        "pdf-embedded-file": made(lambda w: w.add_attachment("invoice.html", b"<script>alert(1)</script>")),
    }


def huge_header_png() -> bytes:
    """A PNG whose header claims the largest sides the format allows (2**31 - 1), one row of data."""
    import zlib

    header = struct.pack(">IIBBBBB", 2**31 - 1, 2**31 - 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def hostile_corpus() -> list[BadFile]:
    """Refused since issue #15: a pixel flood under Pillow's own guard, a header with huge numbers and
    PDFs with active content. (A NUL in a text field is S18's; in a file name it is dropped with the name.)"""
    pdfs = [BadFile(name, data, f"{name}.pdf", "application/pdf") for name, data in active_pdfs().items()]
    return [
        BadFile("pixel-flood-png-6300", flood_png(), "flood.png", "image/png"),
        BadFile("huge-numbers-png-header", huge_header_png(), "huge.png", "image/png"),
        *pdfs,
    ]
