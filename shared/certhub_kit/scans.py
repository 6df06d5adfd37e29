"""Uploaded scans checked by content: JPEG/PNG sized from their header and refused above the pixel
limit before anything is decoded, then decoded by Pillow under the process's pixel budget
(certhub_kit.pixels); PDF recognised, its pages counted and refused when it carries active content
(certhub_kit.pdf_check); metadata removed (certhub_kit.jpeg_meta, certhub_kit.png_meta); a perceptual
hash made. Thumbnails are made when first shown (``checked_thumbnail``), not on the upload's path.

Used for students' certificate scans, the centre's originals and passbook covers.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PIL import Image, ImageDraw, ImageOps

from .errors import Invalid, TooLarge
from .jpeg_meta import NotPlainJpeg, strip_metadata
from .pdf_check import active_content, without_trailer
from .pixels import PIXELS, release_memory
from .png_meta import NotPlainPng, png_exif, strip_png_metadata

Image.MAX_IMAGE_PIXELS = 40_000_000  # Pillow's own guard, behind the header check below
T = TypeVar("T")
THUMB_SIZE = (320, 320)
ORIENTATION = 0x0112  # EXIF tag
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
BAND_ROWS = 256  # rows converted at a time while a preview is made


@dataclass(frozen=True)
class Scan:
    kind: str  # "jpeg" | "png" | "pdf"
    content_type: str
    data: bytes  # metadata removed, upright
    phash: str | None
    pages: int
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Probe:
    """What an image's header says, before any pixel is decoded."""

    kind: str
    size: tuple[int, int]
    orientation: int

    @property
    def weight(self) -> int:
        """Pixels held while it is checked: a JPEG decodes at thumbnail scale unless it must be turned
        upright (decoded in full, then a turned copy); a PNG decodes in full."""
        pixels = self.size[0] * self.size[1]
        if self.orientation != 1:
            return 2 * pixels
        return pixels // 16 if self.kind == "jpeg" else pixels


def _reject(zh: str, en: str, code: str = "invalid_scan") -> Invalid:
    return Invalid(zh, en, code=code)


def _unsupported() -> Invalid:
    return _reject(
        "僅接受 JPEG、PNG 或 PDF 格式的證照影本", "Only JPEG, PNG or PDF scans are accepted", "unsupported_scan"
    )


def check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise _reject("檔案是空的，請重新選擇證照影本", "The file is empty; please choose the scan again", "empty_scan")
    if len(data) > max_bytes:
        mb = max_bytes / (1024 * 1024)
        raise TooLarge(
            f"檔案超過 {mb:g} MB 上限，請壓縮後再上傳",
            f"The file exceeds the {mb:g} MB limit; please compress it",
            code="scan_too_large",
        )


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> Invalid:
    mp = max_pixels / 1_000_000
    shown = f"（{size[0]}×{size[1]}）" if size else ""
    shown_en = f" ({size[0]}×{size[1]})" if size else ""
    return _reject(
        f"圖片像素過多{shown}，上限為 {mp:g} 百萬像素；請以較低解析度（如 300 dpi）重新掃描或縮小後再上傳",
        f"The image has too many pixels{shown_en}; the limit is {mp:g} megapixels. Scan again at a "
        f"lower resolution (e.g. 300 dpi) or make it smaller",
        "scan_bomb",
    )


def probe_image(data: bytes, max_pixels: int | None = None) -> Probe:
    """The header's kind, size and orientation; refused above ``max_pixels`` without decoding."""
    limit = max_pixels or PIXELS.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as header:
                size, kind = header.size, {"JPEG": "jpeg", "PNG": "png"}.get(header.format or "")
                orientation = _orientation(header, data) if kind else 1
    except Image.DecompressionBombError:
        raise _too_many_pixels(None, limit) from None
    except Exception:
        raise _reject(
            "檔案已損毀或不是有效的圖片", "The file is damaged or not a valid image", "corrupt_scan"
        ) from None
    if kind is None:
        raise _unsupported()
    if size[0] * size[1] > limit:
        raise _too_many_pixels(size, limit)
    return Probe(kind, size, orientation if orientation in TRANSPOSE else 1)


def _orientation(header: Image.Image, data: bytes) -> int:
    if header.format == "JPEG":
        return header.getexif().get(ORIENTATION, 1)
    exif = png_exif(data)
    if not exif:
        return 1
    tags = Image.Exif()
    tags.load(exif)
    return tags.get(ORIENTATION, 1)


def _is_image(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")


def validate_scan(data: bytes, *, max_bytes: int = 2 * 1024 * 1024, max_pixels: int | None = None) -> Scan:
    check_size(data, max_bytes)
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    if _is_image(data):
        return _image(data, probe_image(data, max_pixels))
    raise _unsupported()


async def checked_scan(data: bytes, *, max_bytes: int) -> Scan:
    """``validate_scan`` in a worker thread (Pillow lets go of the GIL while it decodes, so the service
    keeps answering), holding the image's pixels from the process's budget while it decodes."""
    check_size(data, max_bytes)
    weight = probe_image(data).weight if _is_image(data) else 0
    return await _under_budget(weight, lambda: validate_scan(data, max_bytes=max_bytes))


async def _under_budget(weight: int, decode: Callable[[], T]) -> T:
    """``decode()`` in a worker thread while ``weight`` pixels are held; the memory handed back after."""

    def then_released() -> T:
        try:
            return decode()
        finally:
            release_memory(weight)

    async with PIXELS.held(weight):
        return await asyncio.to_thread(then_released)


def _image(data: bytes, probe: Probe) -> Scan:
    """Decoded to the last byte (a truncated or corrupt file fails here); a JPEG at reduced scale,
    since only the thumbnail and the hash need pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as check:
                check.verify()
            image = Image.open(io.BytesIO(data))
            if probe.kind == "jpeg":
                image.draft("RGB", _thumbnail_size(probe.size))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(probe.size, PIXELS.max_pixels) from None
    except Exception:
        raise _reject(
            "檔案已損毀或不是有效的圖片", "The file is damaged or not a valid image", "corrupt_scan"
        ) from None
    with image:
        orientation = image.getexif().get(ORIENTATION, 1)
        orientation = orientation if orientation in TRANSPOSE else 1
        preview = _preview(image, orientation)
        clean = _without_metadata(probe.kind, data, image, upright=orientation == 1)
    width, height = probe.size[::-1] if orientation in (5, 6, 7, 8) else probe.size  # quarter turns swap the sides
    return Scan(
        kind=probe.kind,
        content_type=f"image/{probe.kind}",
        data=clean,
        phash=dhash(preview),
        pages=1,
        width=width,
        height=height,
    )


def _preview(image: Image.Image, orientation: int) -> Image.Image:
    """At most 320×320, upright, RGB, made without a full-size copy: Pillow's own resize of an RGBA
    image first copies all of it (premultiplied alpha), so bands of rows are converted and reduced one
    at a time (``reduce`` by the factor ``resize(reducing_gap=2.0)`` would use), then resized."""
    width, height = image.size
    target = _thumbnail_size(image.size)
    factor = max(1, int(min(width / target[0], height / target[1]) / 2.0))
    rows = factor * max(1, BAND_ROWS // factor)
    reduced = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(height, top + rows))).convert("RGB")
        reduced.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    small = reduced.resize(target, Image.Resampling.BICUBIC) if reduced.size != target else reduced
    return small.transpose(TRANSPOSE[orientation]) if orientation != 1 else small


def _thumbnail_size(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(THUMB_SIZE[0] / size[0], THUMB_SIZE[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _without_metadata(kind: str, data: bytes, image: Image.Image, *, upright: bool) -> bytes:
    """Only what decoding needs (jpeg_meta, png_meta): an upright image keeps its pixels byte for byte;
    otherwise it is decoded in full, turned upright and encoded again (Pillow writes no metadata)."""
    if upright:
        try:
            return strip_metadata(data) if kind == "jpeg" else strip_png_metadata(data)
        except (NotPlainJpeg, NotPlainPng):
            pass
    with Image.open(io.BytesIO(data)) as full:
        turned = ImageOps.exif_transpose(full)
    out = io.BytesIO()
    if kind == "jpeg":
        (turned if turned.mode in ("RGB", "L") else turned.convert("RGB")).save(out, "JPEG", quality=90)
    else:
        turned.save(out, "PNG")
    return out.getvalue()


def _pdf(data: bytes) -> Scan:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
        active = active_content(reader)
    except Exception:
        raise _reject("PDF 檔案已損毀或無法讀取", "The PDF is damaged or unreadable", "corrupt_scan") from None
    if pages < 1 or pages > 20:
        raise _reject("PDF 頁數必須介於 1 到 20 頁", "The PDF must have between 1 and 20 pages", "pdf_pages")
    if active is not None:
        raise _reject(
            f"PDF 含有指令碼、自動執行的動作或內嵌檔案（{active}），為安全起見不予接受；請另存或列印成新的 PDF，"
            "或掃描後再上傳",
            f"The PDF contains a script, an automatic action or an embedded file ({active}) and is refused "
            "for safety; save or print it as a new PDF, or scan it, then upload",
            "pdf_active_content",
        )
    return Scan(kind="pdf", content_type="application/pdf", data=without_trailer(data), phash=None, pages=pages)


async def checked_thumbnail(data: bytes, *, pages: int = 1) -> bytes:
    """``thumbnail_of`` in a worker thread under the pixel budget (a stored PNG decodes in full)."""
    weight = probe_image(data, max_pixels=2**62).weight if _is_image(data) else 0
    return await _under_budget(weight, lambda: thumbnail_of(data, pages=pages))


def thumbnail_of(data: bytes, *, pages: int = 1) -> bytes:
    """A JPEG of at most 320×320 for a scan that ``validate_scan`` already cleaned (upright, no EXIF)."""
    if data.startswith(b"%PDF-"):
        return _pdf_thumbnail(pages)
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", _thumbnail_size(image.size))
        small = _preview(image, 1)
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
