"""Real files for upload tests: a small certificate-like JPEG, PNG and PDF made on the spot."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def certificate_jpeg(seed: int = 0, size: tuple[int, int] = (800, 560), quality: int = 85) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], outline=(120, 90, 30), width=8)
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse(
            [x, y, x + rng.randrange(5, 60), y + rng.randrange(5, 60)],
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    draw.text((size[0] // 3, size[1] // 2), f"CERTIFICATE {seed}", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def certificate_png(seed: int = 0) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(certificate_jpeg(seed, (400, 280)))).save(out, "PNG")
    return out.getvalue()


def one_page_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()
