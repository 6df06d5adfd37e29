"""A real served service writes JSON lines only: one per request, and uvicorn's own errors too."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.servers import free_port


@pytest.fixture
def served_notify(settings_for, tmp_path):
    port = free_port()
    values = settings_for(
        "notify",
        isolation="accesslog",
        scheduler_enabled=False,
        log_json=True,
        log_level="INFO",
        host="127.0.0.1",
        port=port,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTHUB_")}
    env.update(
        {
            f"CERTHUB_{key.upper()}": str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in values.items()
        }
    )
    out = (tmp_path / "stdout").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "notify", "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "stdout").read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "notify did not become ready"
            time.sleep(0.2)
        yield base, port, lambda: [line for line in (tmp_path / "stdout").read_text().splitlines() if line.strip()]
    finally:
        process.terminate()
        process.wait(timeout=20)
        out.close()


def _entries(lines) -> list[dict]:
    entries = []
    for line in lines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a log line is not JSON: {line!r}")
    return entries


def test_one_json_line_per_request_and_uvicorns_errors_as_json(served_notify):
    base, port, lines = served_notify
    answer = httpx.get(
        f"{base}/api/notify/deliveries?access_token=SECRET-VALUE&page=2", headers={"X-Correlation-ID": "access-log-1"}
    )
    assert answer.status_code == 401
    with socket.create_connection(("127.0.0.1", port)) as raw:  # not HTTP at all: uvicorn itself complains
        raw.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
        raw.recv(1024)

    deadline = time.monotonic() + 10
    while True:
        entries = _entries(lines)
        requests = [e for e in entries if e.get("event") == "request" and e.get("correlation_id") == "access-log-1"]
        uvicorn = [e for e in entries if str(e.get("logger", "")).startswith("uvicorn")]
        if (requests and uvicorn) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(requests) == 1, entries
    line = requests[0]
    assert (line["method"], line["path"], line["status"], line["service"]) == (
        "GET",
        "/api/notify/deliveries",
        401,
        "notify",
    )
    assert isinstance(line["duration_ms"], float) and line["timestamp"] and line["level"] == "info"
    assert uvicorn and uvicorn[0]["level"] == "warning" and "Invalid HTTP request" in uvicorn[0]["event"]
    assert not any("SECRET-VALUE" in raw for raw in lines())
    assert not [e for e in entries if e.get("event") == "request" and e["path"] == "/readyz"]  # probes: only failures


def test_a_traceback_from_the_standard_library_logging_is_one_json_line():
    script = (
        "import logging; from certhub_kit.logs import configure_logging; configure_logging('INFO', json=True)\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
        "    logging.getLogger('uvicorn.error').exception('Exception in ASGI application')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    [line] = out.splitlines()
    entry = json.loads(line)
    assert entry["event"] == "Exception in ASGI application" and entry["level"] == "error"
    assert entry["logger"] == "uvicorn.error" and "ZeroDivisionError" in entry["exception"]


def test_confirmation_tokens_in_paths_are_redacted():
    script = (
        "from certhub_kit.logs import configure_logging; configure_logging('INFO', json=True)\n"
        "from certhub_kit.http import access_log\n"
        "access_log('certificates', 'GET', '/api/confirm/TOKEN-abc123', 200, 0.0123)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    [entry] = [json.loads(line) for line in out.splitlines()]
    assert entry["path"] == "/api/confirm/[redacted]" and entry["duration_ms"] == 12.3 and "TOKEN" not in out
