"""Putting a validated scan and its thumbnail in object storage under generated keys, and taking them away."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog

from certhub_kit.scans import Scan
from certhub_kit.storage import ObjectStorage

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
        return {"scan_key": self.scan_key, "thumbnail_key": self.thumbnail_key,
                "scan_content_type": self.content_type, "scan_pages": self.pages, "scan_phash": self.phash}


async def store(storage: ObjectStorage, certificate_id: uuid.UUID, scan: Scan) -> StoredScan:
    """Keys are ``<certificate id>/<random>.<ext>`` — never the student's file name."""
    token = uuid.uuid4().hex
    stored = StoredScan(scan_key=f"{certificate_id}/{token}.{EXTENSIONS[scan.kind]}",
                        thumbnail_key=f"{certificate_id}/{token}.jpg", content_type=scan.content_type,
                        pages=scan.pages, phash=scan.phash)
    await storage.put(SCANS, stored.scan_key, scan.data, scan.content_type)
    try:
        await storage.put(THUMBNAILS, stored.thumbnail_key, scan.thumbnail, "image/jpeg")
    except BaseException:
        await discard(storage, stored.scan_key, None)
        raise
    return stored


async def discard(storage: ObjectStorage, scan_key: str | None, thumbnail_key: str | None) -> None:
    """Best effort: a failure here leaves an orphan to log, never a failed request."""
    for bucket, key in ((SCANS, scan_key), (THUMBNAILS, thumbnail_key)):
        if key is None:
            continue
        try:
            await storage.delete(bucket, key)
        except Exception as exc:  # noqa: BLE001
            log.error("orphan_object", bucket=bucket, key=key, error=repr(exc))
