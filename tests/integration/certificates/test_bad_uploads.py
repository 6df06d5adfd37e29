"""The bad-upload corpus: each is refused with a clear message and leaves no row, object, event or token."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from certificates.adapters.certificate_repository import CertificateRepository

from .support import footprint, form, jpeg_bytes, pdf_bytes, register

ISOLATION = "certbad"
MAX = 2 * 1024 * 1024


def png_bomb() -> bytes:
    """9000×9000 one-bit pixels: tiny on disk, 81 megapixels when decoded."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def oversized() -> bytes:
    data = jpeg_bytes()
    return data + b"\0" * (MAX + 1 - len(data))


CORPUS = [
    # id, bytes, filename, content type, status, error code, words in the zh message
    ("empty", b"", "scan.jpg", "image/jpeg", 422, "empty_scan", "空的"),
    ("2MiB+1", oversized(), "big.jpg", "image/jpeg", 413, "scan_too_large", "2 MB"),
    ("text-named-jpg", b"hello, I am not a picture\n" * 20, "scan.jpg", "image/jpeg", 422, "unsupported_scan", "JPEG"),
    ("png-bomb", png_bomb(), "bomb.png", "image/png", 422, "scan_bomb", "像素過多"),
    (
        "pdf-with-jpeg-header",
        b"\xff\xd8\xff\xe0" + pdf_bytes(),
        "x.pdf",
        "application/pdf",
        422,
        "corrupt_scan",
        "損毀",
    ),
    (
        "path-traversal-name",
        b"root:x:0:0:root:/root:/bin/bash\n",
        "../../../etc/passwd",
        "image/jpeg",
        422,
        "unsupported_scan",
        "JPEG",
    ),
    ("truncated-jpeg", jpeg_bytes((400, 300))[:600], "cut.jpg", "image/jpeg", 422, "corrupt_scan", "損毀"),
    ("broken-pdf", b"%PDF-1.7\n" + b"garbage" * 50, "x.pdf", "application/pdf", 422, "corrupt_scan", "PDF"),
]


@pytest.mark.parametrize("name, data, filename, ctype, status, code, words", CORPUS, ids=[c[0] for c in CORPUS])
async def test_bad_upload_is_refused_and_nothing_is_stored(service, name, data, filename, ctype, status, code, words):
    before = await footprint(service.runtime)
    async with service.as_user("s1100001") as client:
        answer = await register(client, service, scan=data, filename=filename, content_type=ctype)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and words in error["message"] and error["message_en"]
    assert await footprint(service.runtime) == before


async def test_missing_scan_is_a_422_naming_the_field(service):
    before = await footprint(service.runtime)
    async with service.as_user("s1100001") as client:
        answer = await client.post("/api/certificates", data=form(service))
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "scan"
    assert await footprint(service.runtime) == before


async def test_a_good_scan_with_a_traversal_name_is_stored_under_a_generated_key(service):
    async with service.as_user("s1100001") as client:
        answer = await register(client, service, filename="../../../../tmp/evil.jpg")
    assert answer.status_code == 201
    keys = await service.runtime.storage.keys("scans")
    assert keys and all(".." not in k and "evil" not in k and "tmp" not in k for k in keys)


async def test_a_failed_transaction_removes_the_objects_it_put(service, monkeypatch):
    """Objects are put before the commit; if the database write fails they are deleted again."""
    before = await footprint(service.runtime)

    async def broken_add(self, values):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CertificateRepository, "add", broken_add)
    async with service.as_user("s1100001") as client:
        try:  # the in-process transport re-raises what the server answered with a 500
            answer = await register(client, service)
            assert answer.status_code == 500
        except RuntimeError as exc:
            assert "database went away" in str(exc)
    assert await footprint(service.runtime) == before
