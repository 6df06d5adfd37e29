"""S15: memory from a small PNG. The issue's 154 KB 6300 × 6300 RGBA PNG (160 MB decoded) is refused
from its header by the certificate scan, the centre's original and the passbook cover, without
decoding (the process's RSS measured before, during and after); eight concurrent large-but-allowed
PNGs (4400 × 4400, 77 MB decoded each) decode under the per-process pixel budget, so the RSS grows by
about one of them, not eight, and is handed back afterwards."""

from __future__ import annotations

import asyncio
import threading
import time

import psutil
import pytest

from certhub_kit.errors import Invalid
from certhub_kit.pixels import PIXELS
from certhub_kit.scans import checked_scan
from tests.support.fleet import student_claims
from tests.support.upload_corpus import flood_png

pytestmark = pytest.mark.security
MB = 1024 * 1024
STUDENT = "s1100003"


class PeakRss:
    """The process's resident set size, sampled every 5 ms while the block runs."""

    def __enter__(self):
        self.process = psutil.Process()
        self.before = self.peak = self.process.memory_info().rss
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()
        self.after = self.process.memory_info().rss

    @property
    def grew(self) -> float:
        return (self.peak - self.before) / MB


async def test_s15_the_flood_is_refused_from_its_header(fleet) -> None:
    flood = flood_png()
    with PeakRss() as rss, pytest.raises(Invalid) as refused:
        await checked_scan(flood, max_bytes=2 * MB)
    assert refused.value.code == "scan_bomb" and "6300×6300" in refused.value.message_en
    answers = await _through_every_upload(fleet, flood)
    print(
        f"\nS15: the {len(flood) // 1024} KB 6300×6300 RGBA PNG refused from its header by {len(answers)}/3 upload "
        f"endpoints (422, zh-TW + English); RSS {rss.before / MB:.0f} → peak {rss.peak / MB:.0f} → "
        f"{rss.after / MB:.0f} MB while it was refused (+{rss.grew:.1f} MB; decoded it is 160 MB)"
    )
    assert rss.grew < 16, f"decoding must not start: +{rss.grew:.0f} MB"
    assert len(answers) == 3


async def _through_every_upload(fleet, flood: bytes) -> list[str]:
    """The certificate scan, the centre's original and the passbook cover (S3's three uploads)."""
    from tests.security.test_s3_upload_corpus import endpoints

    claims = student_claims("s1109915", "林小安")
    draft = await fleet.register(STUDENT, "tqc-powerpoint", "專業級")
    await fleet.confirmed(draft["id"])
    await fleet.in_review_queue(draft["id"])
    application = await fleet.applied_as(claims, "gept", "中級", "全民英檢中級或同等級英語檢定")
    refused = []
    for label, service, who, method, path, field, form in endpoints(
        fleet, {"verified": draft["id"], "application": application}
    ):
        client = fleet.as_claims(service, claims) if service == "rewards" else fleet.client(service, who)
        async with client:
            answer = await client.request(
                method,
                path,
                data={**form, "account_name": claims["name"]} if service == "rewards" else form,
                files={field: ("flood.png", flood, "image/png")},
            )
        error = answer.json().get("error", {})
        if answer.status_code == 422 and "6300×6300" in error.get("message", "") and error.get("message_en"):
            refused.append(label)
    return refused


async def test_s15_concurrent_large_images_stay_within_the_budget() -> None:
    from PIL import Image

    large = flood_png(4400, 4400)
    assert Image.open(__import__("io").BytesIO(large)).size == (4400, 4400)
    PIXELS.peak = 0
    with PeakRss() as rss:
        scans = await asyncio.gather(*[checked_scan(large, max_bytes=2 * MB) for _ in range(8)])
    one = 4400 * 4400 * 4 / MB
    print(
        f"S15: 8 concurrent 4400×4400 PNGs ({one:.0f} MB decoded each, {8 * one:.0f} MB at once unbounded): RSS "
        f"+{rss.grew:.0f} MB at peak, {(rss.after - rss.before) / MB:+.0f} MB afterwards; pixels in flight at most "
        f"{PIXELS.peak / 1e6:.1f} of the {PIXELS.limit / 1e6:.0f} M budget"
    )
    assert all(s.width == 4400 for s in scans)
    assert PIXELS.peak <= PIXELS.limit
    assert rss.grew < 2.5 * one, f"+{rss.grew:.0f} MB: more than two decodes at once"
    assert (rss.after - rss.before) / MB < one, "what was decoded must be handed back"
