"""Scans checked by content: metadata removed without losing pixels, damaged files refused,
orientation honoured, near-identical scans hashed alike."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from certhub_kit.errors import Invalid
from certhub_kit.jpeg_meta import NotPlainJpeg, strip_metadata
from certhub_kit.scans import hamming, thumbnail_of, validate_scan
from tests.support.samples import certificate_jpeg, certificate_png, one_page_pdf

GPS = 0x8825


def jpeg_with_exif(orientation: int = 1, comment: bytes | None = b"secret comment") -> bytes:
    image = Image.open(io.BytesIO(certificate_jpeg(3, (900, 600))))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS)[2] = (22.0, 38.0, 0.0)  # latitude near Pingtung
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif, comment=comment)
    return out.getvalue()


def scan_data_of(jpeg: bytes) -> bytes:
    return jpeg[jpeg.index(b"\xff\xda") :]


def test_upright_jpeg_loses_exif_and_comment_but_keeps_every_pixel_byte():
    original = jpeg_with_exif()
    scan = validate_scan(original)
    assert b"PhoneMaker" in original and b"secret comment" in original
    assert b"PhoneMaker" not in scan.data and b"secret comment" not in scan.data and b"Exif" not in scan.data
    assert scan_data_of(scan.data) == scan_data_of(original)
    assert Image.open(io.BytesIO(scan.data)).getexif().get(GPS) is None
    assert (scan.kind, scan.width, scan.height, scan.pages) == ("jpeg", 900, 600, 1)


def test_rotated_jpeg_is_turned_upright_and_its_sides_swapped():
    scan = validate_scan(jpeg_with_exif(orientation=6))
    image = Image.open(io.BytesIO(scan.data))
    assert image.size == (600, 900) and (scan.width, scan.height) == (600, 900)
    assert not image.getexif()  # nothing left to rotate it twice
    assert Image.open(io.BytesIO(thumbnail_of(scan.data))).size == (213, 320)


def test_thumbnails_fit_320_and_are_jpegs():
    for scan in (validate_scan(certificate_jpeg(1, (1400, 980))), validate_scan(certificate_png(1))):
        thumb = Image.open(io.BytesIO(thumbnail_of(scan.data)))
        assert thumb.format == "JPEG" and max(thumb.size) == 320
    pdf = Image.open(io.BytesIO(thumbnail_of(one_page_pdf(), pages=1)))
    assert pdf.format == "JPEG" and pdf.size == (240, 320)


def test_truncated_jpeg_is_refused_although_decoded_at_reduced_scale():
    data = certificate_jpeg(4, (1400, 980))
    with pytest.raises(Invalid) as refused:
        validate_scan(data[: len(data) // 2])
    assert refused.value.code == "corrupt_scan"


def test_png_text_chunks_are_removed():
    image = Image.open(io.BytesIO(certificate_png(2)))
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Student Home Address 123")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    scan = validate_scan(out.getvalue())
    assert scan.kind == "png" and b"Student Home Address" not in scan.data


def test_resaved_scan_hashes_near_and_another_scan_far():
    first = validate_scan(certificate_jpeg(5, (1200, 840)))
    resaved = io.BytesIO()
    Image.open(io.BytesIO(certificate_jpeg(5, (1200, 840)))).save(resaved, "JPEG", quality=60)
    other = validate_scan(certificate_jpeg(6, (1200, 840)))
    assert hamming(first.phash, validate_scan(resaved.getvalue()).phash) <= 4
    assert hamming(first.phash, other.phash) > 6


@pytest.mark.parametrize("broken", [b"\x00\x01", b"\xff\xd8\xff\xe1\xff\xff", b"\xff\xd8\xff\xe0\x00\x10JFIF"])
def test_strip_metadata_refuses_what_it_cannot_copy_with_confidence(broken):
    with pytest.raises(NotPlainJpeg):
        strip_metadata(broken)
