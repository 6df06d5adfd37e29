"""Data files shipped with the service: the bank list and the demo standards table."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def bank_rows() -> tuple[dict, ...]:
    return tuple(json.loads((HERE / "bank_codes.json").read_text(encoding="utf-8")))


def demo_standard_rows() -> list[dict]:
    return json.loads((HERE / "demo_standards.json").read_text(encoding="utf-8"))
