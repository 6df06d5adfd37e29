"""The README's first command: the whole system in one process on embedded PostgreSQL,
healthy, one flow driven through it, and stopped cleanly by Ctrl-C — or by SIGTERM
(a plain ``kill``, a service manager), which must stop its PostgreSQL as well."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support.samples import certificate_jpeg
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_standalone_starts_serves_a_flow_and_stops_cleanly(tmp_path, stop_signal):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTHUB_")}
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "deploy" / "standalone.py"),
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        env=env,
        cwd=ROOT,
        stdout=open(tmp_path / "out.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        ready = None
        while time.monotonic() - started < 90 and process.poll() is None:
            try:
                ready = httpx.get(f"{base}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        assert ready is not None and ready.status_code == 200, (tmp_path / "out.log").read_text()[-3000:]
        print(f"standalone healthy after {elapsed:.1f} s")  # start-up time is measured by the benchmark (P7)

        with httpx.Client(base_url=base, timeout=20) as client:
            assert "<html" in client.get("/").text.lower()
            token = client.post("/api/auth/dev-login", json={"username": "s1100001"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            found = client.get("/api/catalog", params={"q": "全民英語"}, headers=headers)
            assert found.status_code == 200, found.text
            items = found.json()["items"]
            entry = next(e for e in items if e["levels"])
            created = client.post(
                "/api/certificates",
                headers=headers,
                data={
                    "entry_id": entry["id"],
                    "level_id": entry["levels"][0]["id"],
                    "score": "80",
                    "issued_on": "2026-09-01",
                    "email": "s1100001@demo.certhub.tw",
                },
                files={"scan": ("gept.jpg", certificate_jpeg(1), "image/jpeg")},
            )
            assert created.status_code == 201, created.text
            mine = client.get("/api/certificates", headers=headers).json()["items"]
            assert any(c["id"] == created.json()["id"] for c in mine)
            thumb = client.get(
                f"/api/certificates/{created.json()['id']}/thumbnail", headers=headers, follow_redirects=True
            )
            assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"
    finally:
        children = (
            [p.pid for p in psutil.Process(process.pid).children(recursive=True)] if process.poll() is None else []
        )
        process.send_signal(stop_signal)
        process.wait(30)
    assert process.returncode == 0, (tmp_path / "out.log").read_text()[-3000:]
    time.sleep(0.5)
    postgres_left = [
        p
        for p in psutil.process_iter(["cmdline"])
        if p.info["cmdline"] and str(tmp_path / "data") in " ".join(p.info["cmdline"])
    ]
    assert not postgres_left, f"PostgreSQL was left running after {stop_signal.name}"
    assert "PostgreSQL stopped" in (tmp_path / "out.log").read_text()
    assert not [pid for pid in children if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
