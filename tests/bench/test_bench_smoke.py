"""The benchmark must not rot: run ``bench.run`` in quick mode with tiny durations.

It is not timed and judges no numbers: it passes while workloads still report
"not available", as long as the run finishes, prints the table and writes its JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.servers import port_open

ROOT = Path(__file__).resolve().parents[2]


def test_bench_quick_run_prints_the_table(tmp_path):
    if not (port_open("127.0.0.1", 5432) and port_open("127.0.0.1", 5672)):
        pytest.skip("the benchmark needs PostgreSQL on 5432 and RabbitMQ on 5672")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--repeat",
            "1",
            "--duration",
            "0.5",
            "--scale",
            "0.001",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "workload" in run.stdout and "median" in run.stdout
    report = json.loads(out.read_text())
    assert report["table"], "one row per measured metric or per unavailable workload"
    assert "stack" not in report["unavailable"], report["unavailable"].get("stack")
    for row in report["table"]:
        assert row["metric"] == "not available" or row["median"] is None or row["median"] >= 0
    for workload, runs in report["runs"].items():  # wrk-driven rows carry the generator's CPU and every status
        if workload.startswith(("P1 registration", "P1 identical", "P3 applications", "floor", "outbox floor")):
            assert all("gen_cores" in r and "load1" in r and isinstance(r["statuses"], dict) for r in runs), workload
            for r in runs:  # the machine's busy cores while wrk ran, and its CPU per answered request
                assert r["cpu_machine"] > 0 and (r["machine_cpu_ms_per_request"] > 0 or not r["rps"]), r
    assert "idle stack" in report["runs"] or "idle stack" in report["unavailable"]
    for workload in ("P1 registration", "P3 applications", "idle stack"):  # counted on the run's own PostgreSQL
        for r in report["runs"].get(workload, []):
            unit = "s" if workload == "idle stack" else "request"
            assert r["statements"][f"statements_per_{unit}"] > 0 and r["statements"]["top"], workload
