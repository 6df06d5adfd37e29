"""P6 (standalone memory) and P7 (start-up): ``deploy/standalone.py`` — what ``./run`` starts after install.

Cold = a fresh data directory (embedded PostgreSQL initdb, migrations, demo data); warm = the same
directory started again. Memory: the Python process, and the process tree with PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.support.servers import free_port
from tests.support.stack import ROOT

from .infra import RssSampler, wait_http


def _start(data_dir: Path, port: int, log) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTHUB_")}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "standalone.py"), "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _light_load(url: str, seconds: float) -> int:
    """Sign in and search the catalog for a few seconds, so memory is measured serving, not idle."""
    done = 0
    with httpx.Client(base_url=url, timeout=10) as http:
        r = http.post("/api/auth/dev-login", json={"username": "s1100001"})
        if r.status_code != 200:
            return 0
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            http.get("/api/catalog", params={"q": "英語"}, headers=headers)
            http.get("/api/certificates", headers=headers)
            done += 2
    return done


def run_p7(load_seconds: float = 3.0, timeout: float = 120.0) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="certhub-bench-standalone-"))
    data_dir.chmod(0o755)  # as root the embedded PostgreSQL runs as another user (see report: embedded_pg._own)
    log = open(data_dir.parent / f"{data_dir.name}.log", "wb")
    out: dict = {}
    try:
        for phase in ("cold", "warm"):
            port = free_port()
            began = time.monotonic()
            proc = _start(data_dir, port, log)
            try:
                with (
                    RssSampler({"python": proc.pid}) as own,
                    RssSampler({"tree": proc.pid}, include_children=True) as tree,
                ):
                    try:
                        wait_http(f"http://127.0.0.1:{port}/readyz", timeout, proc)
                    except Exception as exc:
                        raise RuntimeError(f"{exc}; log: {Path(log.name).read_text(errors='replace')[-800:]}") from exc
                    out[f"{phase}_start_s"] = round(time.monotonic() - began, 2)
                    if phase == "warm":
                        # pg_ctl daemonises PostgreSQL: follow its postmaster, not our children
                        postmaster = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
                        with RssSampler({"pg": postmaster}, include_children=True) as pg:
                            out["requests_served"] = _light_load(f"http://127.0.0.1:{port}", load_seconds)
                if phase == "warm":
                    out["rss_mb_python"] = round(own.peak["python"], 1)
                    out["rss_mb_with_postgres"] = round(tree.peak["tree"] + pg.peak["pg"], 1)
            finally:
                _stop(proc)
    finally:
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        Path(log.name).unlink(missing_ok=True)
    return out
