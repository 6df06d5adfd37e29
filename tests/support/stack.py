"""The real stack as separate processes: the four services (``python -m <svc> serve``) behind
Debian's nginx with the gateway configuration from ``deploy/nginx`` — as compose runs it.

Used by the end-to-end tests, the browser tests and the benchmark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from certhub_kit.services import SERVICES
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    pg_server: str
    amqp_url: str
    s3: object
    smtp_host: str
    smtp_port: int
    dev_key: str
    tag: str
    extra_env: dict[str, str] = field(default_factory=dict)
    replicas: int = 1
    gateway: dict[str, str] = field(default_factory=dict)  # CERTHUB_* values for deploy/nginx/render.py
    python: str = field(default_factory=lambda: sys.executable)  # the interpreter the services run on
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="certhub-stack-")))
    processes: dict[str, list[subprocess.Popen]] = field(default_factory=dict)
    ports: dict[str, list[int]] = field(default_factory=dict)
    gateway_port: int = 0
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def database_url(self, service: str) -> str:
        return f"{self.pg_server}/{self.tag.replace('.', '_')}_{service}"

    def env_for(self, service: str, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CERTHUB_")}
        env.update(
            {
                "CERTHUB_ENV": "test",
                "CERTHUB_AUTH_MODE": "dev",
                "CERTHUB_DEV_SIGNING_KEY": self.dev_key,
                "CERTHUB_DATABASE_URL": self.database_url(service),
                "CERTHUB_AMQP_URL": self.amqp_url,
                "CERTHUB_EVENTS_EXCHANGE": f"certhub.events.{self.tag}",
                "CERTHUB_QUEUE_PREFIX": f"{self.tag}.",
                "CERTHUB_S3_ENDPOINT": self.s3.endpoint,
                "CERTHUB_S3_ACCESS_KEY": self.s3.access_key,
                "CERTHUB_S3_SECRET_KEY": self.s3.secret_key,
                "CERTHUB_S3_REGION": self.s3.region,
                "CERTHUB_BUCKET_PREFIX": f"{self.tag.replace('.', '')}-".lower(),
                "CERTHUB_PUBLIC_BASE_URL": self.url,
                "CERTHUB_HOST": "127.0.0.1",
                "CERTHUB_PORT": str(port),
                "CERTHUB_SMTP_HOST": self.smtp_host,
                "CERTHUB_SMTP_PORT": str(self.smtp_port),
                "CERTHUB_DEMO_DATA": "true",
                "CERTHUB_RELAY_INTERVAL_S": "0.1",
                "CERTHUB_LOG_LEVEL": "WARNING",
                "MALLOC_ARENA_MAX": "2",  # as deploy/Dockerfile sets it
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60.0) -> Stack:
        self.gateway_port = self.gateway_port or free_port()  # preset when a provider must know the URL first
        for service in SERVICES:
            # Migrate once, before replicas race (they would serialise on the advisory lock anyway).
            subprocess.run(
                [self.python, "-m", service, "migrate"],
                env=self.env_for(service, 0),
                check=True,
                capture_output=True,
                timeout=120,
            )
            for _ in range(self.replicas):
                self._spawn(service)
        self._start_nginx()
        self.wait_ready(timeout)
        return self

    def _spawn(self, service: str) -> None:
        port = free_port()
        log = open(self.workdir / f"{service}-{port}.log", "wb")
        env = self.env_for(service, port)
        env["CERTHUB_MIGRATE_ON_START"] = "false"
        process = subprocess.Popen(
            [self.python, "-m", service, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        self.processes.setdefault(service, []).append(process)
        self.ports.setdefault(service, []).append(port)

    def _start_nginx(self) -> None:
        sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
        import render  # deploy/nginx/render.py

        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        upstreams = {f"CERTHUB_{s.upper()}_UPSTREAM": f"127.0.0.1:{self.ports[s][0]}" for s in SERVICES}
        conf = render.write_standalone(
            self.workdir / "nginx",
            listen=f"127.0.0.1:{self.gateway_port}",
            user="root" if os.geteuid() == 0 else None,
            oidc_issuer=self.extra_env.get("CERTHUB_OIDC_ISSUER", ""),
            **upstreams,
            **self.gateway,
        )
        self._patch_replicas(conf)
        self.nginx = subprocess.Popen(
            [nginx, "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "nginx.log", "wb"),
        )

    def _patch_replicas(self, conf: Path) -> None:
        """With several replicas, list every one in its upstream block."""
        if self.replicas == 1:
            return
        text = conf.read_text()
        for service in SERVICES:
            first = f"server 127.0.0.1:{self.ports[service][0]}"
            more = "".join(f";\n        server 127.0.0.1:{p}" for p in self.ports[service][1:])
            text = text.replace(first, first + more, 1)
        conf.write_text(text)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = {(s, p) for s in SERVICES for p in self.ports[s]}
        while pending and time.monotonic() < deadline:
            for service, port in list(pending):
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        pending.discard((service, port))
                except httpx.HTTPError:
                    pass
            for service, procs in self.processes.items():
                for proc in procs:
                    if proc.poll() is not None:
                        raise RuntimeError(f"{service} exited: {self.log_tail(service)}")
            time.sleep(0.2)
        if pending:
            service, port = sorted(pending)[0]
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).text
            except httpx.HTTPError as exc:
                answer = repr(exc)
            raise RuntimeError(
                f"not ready in {timeout}s: {sorted(pending)}; {service} /readyz: {answer}; {self.log_tail(service)}"
            )
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/auth/demo-users", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gateway not answering: {(self.workdir / 'nginx.log').read_text()[-2000:]}")

    def log_tail(self, service: str, chars: int = 3000) -> str:
        logs = sorted(self.workdir.glob(f"{service}-*.log"))
        return "\n".join(p.read_text(errors="replace")[-chars:] for p in logs)

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(10)
        for procs in self.processes.values():
            for proc in procs:
                proc.terminate()
        for procs in self.processes.values():
            for proc in procs:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
