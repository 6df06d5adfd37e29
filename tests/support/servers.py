"""Real servers for tests, found in this order (docs/product.md, "Quality bars"):
``CERTHUB_TEST_*`` URLs; testcontainers when a Docker engine answers; the machine's
local servers (PostgreSQL 127.0.0.1:5432, RabbitMQ 127.0.0.1:5672); S3 from an
in-process moto server; SMTP from an aiosmtpd sink. With ``CI=true`` a missing
server fails the run; elsewhere the test is skipped with how to get it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str, how: str) -> None:
    text = f"{what} is not reachable. {how}"
    if IN_CI:
        pytest.fail(text + " (CI=true: a missing service is a failure)", pytrace=False)
    pytest.skip(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def docker_answers() -> bool:
    if os.environ.get("CERTHUB_TEST_NO_DOCKER") or not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except Exception:
        return False


_containers: list = []


def postgres_server_url() -> str:
    """``postgresql+asyncpg://user@host:port`` without a database name."""
    if url := os.environ.get("CERTHUB_TEST_POSTGRES_URL"):
        return url.rstrip("/")
    if docker_answers():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16-alpine", driver="asyncpg").start()
        _containers.append(container)
        return container.get_connection_url().rsplit("/", 1)[0]
    if port_open("127.0.0.1", 5432):
        return "postgresql+asyncpg://postgres@127.0.0.1:5432"
    missing(
        "PostgreSQL",
        "Set CERTHUB_TEST_POSTGRES_URL, start Docker, or start the local cluster "
        "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start).",
    )
    raise AssertionError


def amqp_url() -> str:
    if url := os.environ.get("CERTHUB_TEST_AMQP_URL"):
        return url
    if docker_answers():
        from testcontainers.rabbitmq import RabbitMqContainer

        container = RabbitMqContainer("rabbitmq:3.13-management").start()
        _containers.append(container)
        return f"amqp://guest:guest@{container.get_container_host_ip()}:{container.get_exposed_port(5672)}/"
    if port_open("127.0.0.1", 5672):
        return "amqp://guest:guest@127.0.0.1:5672/"
    missing("RabbitMQ", "Set CERTHUB_TEST_AMQP_URL, start Docker, or run `rabbitmq-server -detached`.")
    raise AssertionError


@dataclass
class S3Server:
    endpoint: str
    access_key: str = "testing"
    secret_key: str = "testing-secret"
    region: str = "us-east-1"
    stop: object = None


def s3_server() -> S3Server:
    if url := os.environ.get("CERTHUB_TEST_S3_URL"):
        return S3Server(
            endpoint=url,
            access_key=os.environ.get("CERTHUB_TEST_S3_ACCESS_KEY", "minioadmin"),
            secret_key=os.environ.get("CERTHUB_TEST_S3_SECRET_KEY", "minioadmin"),
        )
    if docker_answers():
        from testcontainers.minio import MinioContainer

        container = MinioContainer("quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z").start()
        _containers.append(container)
        config = container.get_config()
        return S3Server(
            endpoint=f"http://{config['endpoint']}", access_key=config["access_key"], secret_key=config["secret_key"]
        )
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        missing("S3", "pip install 'moto[server]' or set CERTHUB_TEST_S3_URL.")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return S3Server(endpoint=f"http://127.0.0.1:{port}", stop=server.stop)


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps what it accepts."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    peers: list[tuple] = field(default_factory=list)  # the client end of the connection each mail came over
    refuse_next: int = 0
    refusal: str = "451 4.3.0 try again later"
    _cond: threading.Condition = field(default_factory=threading.Condition)
    controller: object = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self._cond:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return self.refusal
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.peers.append(tuple(session.peer))
            self._cond.notify_all()
        return "250 OK"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self.port = self.port or free_port()
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()
            self.envelopes.clear()
            self.peers.clear()

    async def wait_for(self, predicate, timeout: float = 10.0) -> list[Message]:
        """Wait until some received message satisfies ``predicate``; return all that do."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            with self._cond:
                found = [m for m in self.messages if predicate(m)]
            if found:
                return found
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("no matching mail arrived")
            await asyncio.sleep(0.05)


def stop_containers() -> None:
    for container in _containers:
        try:
            container.stop()
        except Exception:
            pass
