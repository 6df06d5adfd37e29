"""S4 (part): the locked multipart stack is at or above the releases fixing its published DoS advisories.

python-multipart 0.0.18 fixed CVE-2024-53981 (boundary DoS); Starlette 0.40.0 fixed CVE-2024-47874
(unbounded form fields) and 0.47.2 fixed CVE-2025-54121 (large-file rollover blocking the loop).
A full `pip-audit -r requirements.lock` needs the PyPI JSON API, which this machine cannot reach.
"""

from __future__ import annotations

from pathlib import Path

LOCK = Path(__file__).resolve().parents[3] / "requirements.lock"


def locked() -> dict[str, tuple[int, ...]]:
    versions = {}
    for line in LOCK.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            versions[name.strip().lower().replace("_", "-")] = tuple(
                int(p) for p in version.split(";")[0].strip().split(".")[:3] if p.isdigit())
    return versions


def test_multipart_parsers_are_patched():
    versions = locked()
    assert versions["python-multipart"] >= (0, 0, 18)
    assert versions["starlette"] >= (0, 47, 2)


def test_everything_is_pinned():
    lines = [l for l in LOCK.read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert lines and all("==" in l for l in lines), [l for l in lines if "==" not in l]
