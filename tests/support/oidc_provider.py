"""A real OpenID Provider for tests: npm's ``oidc-provider`` (OpenID Certified) run by node from
``tests/support/oidc/provider.mjs``, with the users, passwords, roles and claims of
``deploy/keycloak/certhub-realm.json`` (read from that file, so they cannot drift).

Its access tokens are RS256 JWTs for the audience ``certhub``; ``access_ttl`` shortens them for
the tests of expiry. The dependency is pinned by ``tests/support/oidc/package-lock.json`` and
installed with ``npm ci`` the first time (``.ci/run`` does it up front)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.servers import IN_CI, free_port

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = ROOT / "tests" / "support" / "oidc"
REALM = ROOT / "deploy" / "keycloak" / "certhub-realm.json"
AUDIENCE = "certhub"
PASSWORD = "demo"  # the realm's demo password


def node_or_skip() -> str:
    node = shutil.which("node")
    if node and shutil.which("npm"):
        return node
    message = "node and npm are needed for the test OpenID Provider (apt-get install nodejs npm)"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def install() -> None:
    if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300)


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    log: Path

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    def app_env(self) -> dict[str, str]:
        """The settings a CertHub process needs to sign people in here."""
        # No JWKS URL: the services find the keys through the issuer's discovery document.
        return {"CERTHUB_AUTH_MODE": "oidc", "CERTHUB_OIDC_ISSUER": self.issuer, "CERTHUB_OIDC_AUDIENCE": AUDIENCE}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_provider(app_bases: list[str], *, access_ttl: int = 300, workdir: Path) -> Provider:
    node = node_or_skip()
    install()
    port = free_port()
    log = workdir / f"oidc-provider-{port}.log"
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_REALM": str(REALM),
        "OIDC_APP_BASE": ",".join(app_bases),
        "OIDC_ACCESS_TTL": str(access_ttl),
    }
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs")],
        env=env,
        cwd=PROVIDER_DIR,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID Provider exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return Provider(issuer=issuer, process=process, log=log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the OpenID Provider did not start: {log.read_text()[-2000:]}")
