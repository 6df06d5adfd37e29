"""Headless Chromium (Debian's) driven by Playwright against the standalone system.

One standalone system and one browser serve the whole browser suite (starting the system is most of
its time on a small machine); the tests keep out of each other's way by using different demo students
and by finding their rows by id. Screenshots of failed tests go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.servers import IN_CI, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        message = "Chromium is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def start_standalone(port: int, data: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """``deploy/standalone.py`` (the README's ``./run``) on ``port``, ready when this returns."""
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTHUB_")}
    env.update(extra_env or {})
    log_path = data.parent / f"standalone-{port}.log"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "standalone.py"), "--port", str(port), "--data-dir", str(data)],
        env=env,
        cwd=ROOT,
        stdout=open(log_path, "wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + float(os.environ.get("CERTHUB_BROWSER_START_S", "60"))  # slower on a loaded host
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(log_path.read_text()[-3000:])


def stop_standalone(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(30)


@pytest.fixture(scope="package")
def system(tmp_path_factory):
    port = free_port()
    process = start_standalone(port, tmp_path_factory.mktemp("browser") / "data")
    yield f"http://127.0.0.1:{port}"
    stop_standalone(process)


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    page = context.new_page()
    yield page
    save_failure_screenshot(request, page)
    context.close()


def save_failure_screenshot(request, page) -> None:
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, each in enumerate(page.context.pages):  # the confirmation link's tab too
            suffix = f"-{number}" if number else ""
            each.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
