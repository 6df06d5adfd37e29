"""Putting a validated scan in object storage under a generated key, its thumbnail when first shown,
and taking both away."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog

from certhub_kit.scans import Scan, checked_thumbnail
from certhub_kit.storage import ObjectStorage

from ..domain.certificate import Certificate

log = structlog.get_logger("certificates.scans")

SCANS, THUMBNAILS = "scans", "thumbnails"
EXTENSIONS = {"jpeg": "jpg", "png": "png", "pdf": "pdf"}


@dataclass(frozen=True)
class StoredScan:
    scan_key: str
    thumbnail_key: str
    content_type: str
    pages: int
    phash: str | None

    def columns(self) -> dict:
        return {
            "scan_key": self.scan_key,
            "thumbnail_key": self.thumbnail_key,
            "scan_content_type": self.content_type,
            "scan_pages": self.pages,
            "scan_phash": self.phash,
        }


async def store(storage: ObjectStorage, certificate_id: uuid.UUID, scan: Scan) -> StoredScan:
    """Keys are ``<certificate id>/<random>.<ext>`` — never the student's file name."""
    token = uuid.uuid4().hex
    stored = StoredScan(
        scan_key=f"{certificate_id}/{token}.{EXTENSIONS[scan.kind]}",
        thumbnail_key=f"{certificate_id}/{token}.jpg",
        content_type=scan.content_type,
        pages=scan.pages,
        phash=scan.phash,
    )
    await storage.put(SCANS, stored.scan_key, scan.data, scan.content_type)
    return stored


async def ensure_thumbnail(storage: ObjectStorage, cert: Certificate) -> None:
    """Made from the stored scan the first time it is shown; the key is fixed at registration, so two
    viewers at once write the same object."""
    if await storage.exists(THUMBNAILS, cert.thumbnail_key):
        return
    try:
        data = await storage.get(SCANS, cert.scan_key)
    except FileNotFoundError:
        return  # the caller answers 404 for the missing object
    thumbnail = await checked_thumbnail(data, pages=cert.scan_pages or 1)
    await storage.put(THUMBNAILS, cert.thumbnail_key, thumbnail, "image/jpeg")


async def discard(storage: ObjectStorage, scan_key: str | None, thumbnail_key: str | None) -> None:
    """Best effort: a failure here leaves an orphan to log, never a failed request."""
    for bucket, key in ((SCANS, scan_key), (THUMBNAILS, thumbnail_key)):
        if key is None:
            continue
        try:
            await storage.delete(bucket, key)
        except Exception as exc:  # noqa: BLE001
            log.error("orphan_object", bucket=bucket, key=key, error=repr(exc))
