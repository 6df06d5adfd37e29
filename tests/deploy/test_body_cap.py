"""The standalone's in-process router (certhub_kit.gateway) caps request bodies exactly as the nginx
gateway does, so a body the gateway refuses is refused the same way without it."""

from __future__ import annotations

import re
from pathlib import Path

from certhub_kit.gateway import MAX_BODY_BYTES

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy/nginx/certhub.conf.template"
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def test_the_standalone_body_cap_is_the_gateways() -> None:
    sizes = re.findall(
        r"^\s*client_max_body_size\s+(\d+)([kmg]?)\s*;", TEMPLATE.read_text(encoding="utf-8"), re.M | re.I
    )
    assert sizes, "the gateway must cap request bodies"
    assert {int(n) * UNITS[u.lower()] for n, u in sizes} == {MAX_BODY_BYTES}
