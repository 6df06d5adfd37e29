"""Uploaded scans checked by content: JPEG/PNG decoded by Pillow with its bomb guard,
PDF recognised and its pages counted; EXIF removed; a perceptual hash made. Thumbnails are made
when first shown (``thumbnail_of``), not on the upload's path.

Used for students' certificate scans, the centre's originals and passbook covers.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from .errors import Invalid, TooLarge
from .jpeg_meta import NotPlainJpeg, strip_metadata

Image.MAX_IMAGE_PIXELS = 40_000_000
THUMB_SIZE = (320, 320)
ORIENTATION = 0x0112  # EXIF tag


@dataclass(frozen=True)
class Scan:
    kind: str  # "jpeg" | "png" | "pdf"
    content_type: str
    data: bytes  # metadata removed, upright
    phash: str | None
    pages: int
    width: int | None = None
    height: int | None = None


def _reject(zh: str, en: str, code: str = "invalid_scan") -> Invalid:
    return Invalid(zh, en, code=code)


def check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise _reject("檔案是空的，請重新選擇證照影本", "The file is empty; please choose the scan again", "empty_scan")
    if len(data) > max_bytes:
        mb = max_bytes / (1024 * 1024)
        raise TooLarge(f"檔案超過 {mb:g} MB 上限，請壓縮後再上傳", f"The file exceeds the {mb:g} MB limit; please compress it",
                       code="scan_too_large")


def validate_scan(data: bytes, *, max_bytes: int = 2 * 1024 * 1024) -> Scan:
    check_size(data, max_bytes)
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(data)
    raise _reject("僅接受 JPEG、PNG 或 PDF 格式的證照影本", "Only JPEG, PNG or PDF scans are accepted", "unsupported_scan")


async def checked_scan(data: bytes, *, max_bytes: int) -> Scan:
    """``validate_scan`` in a worker thread: Pillow lets go of the GIL while it decodes, so the
    service keeps answering other requests meanwhile."""
    return await asyncio.to_thread(validate_scan, data, max_bytes=max_bytes)


def _image(data: bytes) -> Scan:
    """Decoded to the last byte (a truncated or corrupt file fails here); a JPEG at reduced scale,
    since only the thumbnail and the hash need pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            size = image.size
            if image.format == "JPEG":
                image.draft("RGB", _thumbnail_size(size))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _reject("圖片尺寸過大，無法處理", "The image has too many pixels to process", "scan_bomb") from None
    except Exception:
        raise _reject("檔案已損毀或不是有效的圖片", "The file is damaged or not a valid image", "corrupt_scan") from None
    kind = "jpeg" if image.format == "JPEG" else "png" if image.format == "PNG" else None
    if kind is None:
        raise _reject("僅接受 JPEG、PNG 或 PDF 格式的證照影本", "Only JPEG, PNG or PDF scans are accepted", "unsupported_scan")
    orientation = image.getexif().get(ORIENTATION, 1)
    clean = _without_metadata(kind, data, image, upright=orientation == 1)
    preview = ImageOps.exif_transpose(image).convert("RGB")
    preview.thumbnail(THUMB_SIZE)
    width, height = size[::-1] if orientation in (5, 6, 7, 8) else size  # quarter turns swap the sides
    return Scan(kind=kind, content_type=f"image/{kind}", data=clean, phash=dhash(preview), pages=1,
                width=width, height=height)


def _thumbnail_size(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(THUMB_SIZE[0] / size[0], THUMB_SIZE[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _without_metadata(kind: str, data: bytes, image: Image.Image, *, upright: bool) -> bytes:
    """EXIF (GPS, device), XMP and comments removed. An upright JPEG keeps its pixels byte for byte;
    otherwise the image is decoded in full, turned upright and encoded again."""
    if kind == "jpeg" and upright:
        try:
            return strip_metadata(data)
        except NotPlainJpeg:
            pass
    full = Image.open(io.BytesIO(data)) if image.format == "JPEG" else image
    full = ImageOps.exif_transpose(full)
    out = io.BytesIO()
    if kind == "jpeg":
        full.convert("RGB").save(out, "JPEG", quality=90, optimize=False)
    else:
        full.save(out, "PNG")
    return out.getvalue()


def _pdf(data: bytes) -> Scan:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except Exception:
        raise _reject("PDF 檔案已損毀或無法讀取", "The PDF is damaged or unreadable", "corrupt_scan") from None
    if pages < 1 or pages > 20:
        raise _reject("PDF 頁數必須介於 1 到 20 頁", "The PDF must have between 1 and 20 pages", "pdf_pages")
    return Scan(kind="pdf", content_type="application/pdf", data=data, phash=None, pages=pages)


def thumbnail_of(data: bytes, *, pages: int = 1) -> bytes:
    """A JPEG of at most 320×320 for a scan that ``validate_scan`` already cleaned (upright, no EXIF)."""
    if data.startswith(b"%PDF-"):
        return _pdf_thumbnail(pages)
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", _thumbnail_size(image.size))
        small = image.convert("RGB")
    small.thumbnail(THUMB_SIZE)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def _pdf_thumbnail(pages: int) -> bytes:
    image = Image.new("RGB", (240, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, 231, 311], outline=(180, 30, 30), width=4)
    draw.text((90, 140), "PDF", fill=(180, 30, 30))
    draw.text((80, 170), f"{pages} page(s)", fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def dhash(image: Image.Image, size: int = 8) -> str:
    """64-bit difference hash (perceptual): near-identical scans differ in few bits."""
    small = image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    pixels = list(small.getdata())
    bits = 0
    for row in range(size):
        for col in range(size):
            left, right = pixels[row * (size + 1) + col], pixels[row * (size + 1) + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")
